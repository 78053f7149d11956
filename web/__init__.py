"""The map UI's static assets and page templates, shipped as package data (no Python code)."""
