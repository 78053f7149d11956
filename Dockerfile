# The Rajapiste API for docker-compose; the database is the postgis/postgis service.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY geo geo
COPY api api
COPY web web
COPY sql sql
# a regular (non-editable) install; the sources are not needed at run time
RUN pip install --no-cache-dir . && rm -rf /app/geo /app/api /app/web /app/sql \
    && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin rajapiste
USER rajapiste
WORKDIR /tmp
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health/ready', timeout=2).status == 200 else 1)"]
CMD ["rajapiste", "serve", "--host", "0.0.0.0", "--port", "8000"]
