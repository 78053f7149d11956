"""Rajapiste service: persistence, services, the HTTP API and the CLI."""
