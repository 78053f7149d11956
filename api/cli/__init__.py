"""The `rajapiste` command line, one module per command group."""

from __future__ import annotations

import sys
from typing import NoReturn

import psycopg
import typer
from pydantic import ValidationError
from sqlalchemy import exc as sa_exc

from api.cli import cases, db, demo, imports, privacy, serve, users
from api.cli.common import database_error, say_error
from api.storage import cluster
from geo.errors import DomainError

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


def _database_failure(exc: Exception) -> str:
    """What to say of a database error no command turned into a message of its own."""
    orig, state, reason = database_error(exc)
    if (
        not state
        or state.startswith("08")
        or isinstance(orig, psycopg.OperationalError)
        and ("connect" in reason or "connection" in reason)
    ):
        return f"the database is not reachable: {reason} (RAJAPISTE_DATABASE_URL, or `rajapiste db up`)"
    return (
        f"the database refused (SQLSTATE {state}): {reason}; nothing of the failing step was kept"
    )


def main() -> None:
    """Entry point of the `rajapiste` command: errors as one line on stderr, never a traceback."""
    try:
        app()
    except (sa_exc.DBAPIError, psycopg.Error) as exc:
        _exit(_database_failure(exc))
    except cluster.ClusterError as exc:
        _exit(str(exc))
    except DomainError as exc:
        _exit(exc.message)
    except ValidationError as exc:
        if exc.title != "Settings":  # a command's own input is its own message: a bug here
            raise
        _exit(settings_failure(exc))  # a setting from the environment (api/settings.py)
    except OSError as exc:  # a folder given for a file, a file it may not read ...
        where = f"{exc.filename}: " if exc.filename else ""
        _exit(f"{where}{exc.strerror or exc}")


def settings_failure(exc: ValidationError) -> str:
    """Each refused setting by its environment variable, and why.

    Not its value: a database URL holds a password.
    """
    refused = []
    for error in exc.errors():
        name = "RAJAPISTE_" + "_".join(str(part) for part in error["loc"]).upper()
        why = str(error["msg"]).removeprefix("Value error, ")
        refused.append(why if why.startswith(name) else f"{name}: {why}")
    return "invalid setting: " + "; ".join(refused)


def _exit(message: str) -> NoReturn:
    say_error(message)  # outside a command typer's Exit is no exit: sys.exit
    sys.exit(1)
