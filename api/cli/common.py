"""What every command shares: consoles, errors, the engine, progress bars, JSON requests."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Any, NoReturn

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine

from api.services.policy import User
from api.services.privacy import Caller
from api.settings import Settings, get_settings
from api.storage import cluster
from api.storage.engine import make_engine
from geo.errors import DomainError

console = Console(stderr=True)
out = Console()

CLI_USER_ID = 0  # the audit trail's user id of the local command line (no account)


def cli_caller(command: str) -> Caller:
    """The local command line as a caller: an admin (whoever runs it can read the database)."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Caller(User(CLI_USER_ID, f"cli:{who}", "admin"), f"CLI rajapiste {command}")


def say_error(message: str) -> None:
    """Print an error on stderr, as every command does."""
    console.print(f"[bold red]error:[/] {message}", highlight=False)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an error to stderr and exit non-zero."""
    say_error(message)
    raise typer.Exit(code)


def database_error(exc: Exception) -> tuple[Any, str, str]:
    """(the driver's error, its SQLSTATE or "", the first line of its message) of a database error."""
    orig = getattr(exc, "orig", None) or exc
    state = str(getattr(orig, "sqlstate", None) or "")
    return orig, state, (str(orig).strip().splitlines() or ["no reason given"])[0]


def engine() -> Engine:
    """Return an engine for the configured database, starting the embedded one if needed."""
    settings = get_settings()
    try:
        if not settings.database_url and not cluster.is_running(settings):
            cluster.start(settings)
        return make_engine(settings)
    except cluster.ClusterError as exc:
        fail(str(exc))


class Bar:
    """A rich progress bar fed by (stage, done, total) callbacks, one task per stage."""

    def __init__(self, title: str) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.completed:,}/{task.total:,}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.title = title
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Report progress of one stage."""
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(
                f"{self.title}: {stage}", total=max(total, 1)
            )
        self.progress.update(self.tasks[stage], completed=done, total=max(total, 1))


def read_json(file: Path) -> Any:
    """Read a JSON file, failing with the file name and the reason."""
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"{file}: no such file")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        fail(f"{file}: not JSON: {exc}")


def print_json(doc: Any) -> None:
    """Print a document (a model or plain data) as JSON on standard output."""
    if isinstance(doc, BaseModel):
        doc = doc.model_dump(mode="json")
    out.print_json(json.dumps(doc, ensure_ascii=False, default=str))


def json_request(
    file: Path, data: Any, model: type[BaseModel], service: Any, settings: Settings | None = None
) -> None:
    """Validate a request document, run one service on it, print its JSON answer."""
    try:
        body = model.model_validate(data)
    except ValidationError as exc:
        fail(f"{file}: {exc}")
    try:
        with engine().connect() as conn:
            doc = service(conn, settings or get_settings(), body)
    except DomainError as exc:
        fail(f"{file}: {exc.message}")
    print_json(doc)


def with_connection(fn: Any) -> Any:
    """Run fn(conn) on the configured database, turning domain errors into CLI errors."""
    try:
        with engine().connect() as conn:
            return fn(conn)
    except DomainError as exc:
        fail(exc.message)
