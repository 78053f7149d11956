"""`rajapiste audit export` and `rajapiste privacy purge`: the audit trail and retention."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import console, fail, out, with_connection
from api.services import audit
from api.settings import get_settings

audit_app = typer.Typer(help="The audit trail of personal-data reads.")
privacy_app = typer.Typer(help="Retention of personal data and of the audit trail.")


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not YYYY-MM-DD")


@audit_app.command("export")
def audit_export(
    from_: Annotated[str | None, typer.Option("--from", help="first day, YYYY-MM-DD")] = None,
    to: Annotated[str | None, typer.Option("--to", help="last day (included), YYYY-MM-DD")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="CSV file (default: stdout)")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 1_000_000,
) -> None:
    """Export the audit trail of a period as CSV: who read which units' owners, when, where."""
    start, end = _day(from_, "--from"), _day(to, "--to")
    log = with_connection(lambda conn: audit.entries(conn, start, end, None, None, limit))
    text = audit.export_csv(log)
    if output is None:
        typer.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"{output}: cannot write the export: {exc.strerror}")
        console.print(f"wrote {len(log.entries):,} audit rows to {output}")
    if log.truncated:  # a partial export must not pass for the whole period
        fail(
            f"the period has more than --limit {limit:,} rows: only the first {limit:,} were "
            "written; export a shorter period or raise --limit"
        )


@privacy_app.command("purge")
def privacy_purge() -> None:
    """Delete audit rows and withdrawn applications' personal data past their retention."""
    settings = get_settings()
    counts = with_connection(lambda conn: audit.purge(conn, settings))
    console.print(
        f"retention: audit {settings.audit_retention_days} days, withdrawn applications "
        f"{settings.withdrawn_retention_days} days"
    )
    for what, n in counts.items():
        out.print(f"{what.replace('_', ' ')}: {n:,}")
