# The Rajapiste API for docker-compose; the database is the postgis/postgis service.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY geo geo
COPY api api
COPY web web
COPY sql sql
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["rajapiste", "serve", "--host", "0.0.0.0", "--port", "8000"]
