"""Typed request and response documents of the HTTP API (pydantic), one module per subject."""
