"""OGC API - Features at /ogc: pygeoapi serving the public `ogc` views (issue 15).

`config` builds pygeoapi's configuration from the project's settings (no YAML file, no
PYGEOAPI_CONFIG), `provider` is pygeoapi's PostgreSQL provider on psycopg 3 with RFC 7946
output, and `api.http.ogc` adapts FastAPI requests to pygeoapi's API functions.
"""
