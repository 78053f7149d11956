"""The `rajapiste` command line, one module per command group."""

from __future__ import annotations

import typer

from api.cli import cases, db, demo, imports, privacy, serve, users

app = typer.Typer(
    help="Rajapiste: spatial permit service for Finnish municipalities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(imports.app, name="import")
app.add_typer(demo.app, name="demo")
app.add_typer(cases.excavation_app, name="excavation")
app.add_typer(users.app, name="user")
app.add_typer(privacy.audit_app, name="audit")
app.add_typer(privacy.privacy_app, name="privacy")
app.command("neighbours")(cases.neighbours)
app.command("analyse")(cases.analyse)
app.command("serve")(serve.serve)


def main() -> None:
    """Entry point of the `rajapiste` command."""
    app()
