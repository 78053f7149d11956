"""HTTP: dependencies, errors as problem documents, and the thin routers."""
