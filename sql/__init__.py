"""SQL shipped as package data: numbered migrations and named queries (read, never imported)."""
