"""Storage: the engine, named SQL, migrations, COPY helpers and the embedded cluster."""
