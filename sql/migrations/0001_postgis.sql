-- PostGIS itself. Every later migration assumes it.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS personal;
