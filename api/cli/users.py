"""`rajapiste user`: local accounts (add, list, disable, enable, passwd, demo)."""

from __future__ import annotations

import secrets
import sys
from typing import Annotated

import typer
from rich.table import Table

from api import finland
from api.cli.common import console, engine, fail, out, with_connection
from api.services import accounts
from api.services.policy import ROLES
from api.settings import get_settings
from api.storage.migrations import migrate
from api.storage.sqlfiles import query

app = typer.Typer(help="Local accounts and their roles.")
ROLE_HELP = "applicant, contractor, officer or admin"
CHANGE_HINT = (
    "change a password:  printf '%s\\n' 'a new password' | rajapiste user passwd EMAIL --password-stdin",
    "new random one:     rajapiste user passwd EMAIL",
    "disable an account: rajapiste user disable EMAIL",
)


def _password(from_stdin: bool) -> tuple[str, bool]:
    """(password, generated): read from stdin (first line), or a new random one."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            fail("--password-stdin: standard input held no password")
        return line, False
    return secrets.token_urlsafe(15), True


@app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="the e-mail address the user signs in with")],
    role: Annotated[str, typer.Option("--role", help=ROLE_HELP)],
    municipality: Annotated[
        str | None, typer.Option("--municipality", help="an officer's municipality code, e.g. 091")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Add an account; without --password-stdin a random password is printed once."""
    if role not in ROLES:
        fail(f"--role must be one of {', '.join(ROLES)}, not {role!r}")
    password, generated = _password(password_stdin)
    settings = get_settings()
    migrate(engine())
    user = with_connection(
        lambda conn: accounts.add_user(conn, settings, email, role, municipality, password)
    )
    where = f" of {user.municipality}" if user.municipality else ""
    console.print(f"added {user.email} ({user.role}{where})")
    if generated:
        typer.echo(f"password (shown once): {password}")


@app.command("list")
def user_list() -> None:
    """List the accounts (never their passwords)."""
    rows = with_connection(accounts.list_users)
    t = Table(title="Rajapiste accounts")
    for col in ("e-mail", "role", "municipality", "state", "created", "last sign-in"):
        t.add_column(col)
    for r in rows:
        t.add_row(
            r["email"],
            r["role"],
            r["municipality"] or "",
            "disabled" if r["disabled"] else "active",
            f"{r['created_at'].astimezone(finland.FINLAND):%Y-%m-%d}",
            f"{r['last_sign_in'].astimezone(finland.FINLAND):%Y-%m-%d %H:%M}"
            if r["last_sign_in"]
            else "",
        )
    out.print(t)


@app.command("disable")
def user_disable(email: Annotated[str, typer.Argument()]) -> None:
    """Disable an account and sign it out everywhere."""
    with_connection(lambda conn: accounts.set_disabled(conn, email, True))
    console.print(f"disabled {email.strip().lower()} (its tokens are revoked)")


@app.command("enable")
def user_enable(email: Annotated[str, typer.Argument()]) -> None:
    """Enable a disabled account again."""
    with_connection(lambda conn: accounts.set_disabled(conn, email, False))
    console.print(f"enabled {email.strip().lower()}")


@app.command("passwd")
def user_passwd(
    email: Annotated[str, typer.Argument()],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Set a new password (signs the account out everywhere); random unless --password-stdin."""
    password, generated = _password(password_stdin)
    settings = get_settings()
    with_connection(lambda conn: accounts.set_password(conn, settings, email, password))
    console.print(f"new password set for {email.strip().lower()}")
    if generated:
        typer.echo(f"password (shown once): {password}")


def _demo_municipality() -> str:
    """The municipality most of the loaded units lie in (the demo officer acts for it)."""
    row = with_connection(lambda conn: conn.execute(query("main_municipality")).scalar())
    return str(row) if row else get_settings().default_municipality


@app.command("demo")
def user_demo() -> None:
    """Create one demo account per role when there are no accounts; print them once."""
    settings = get_settings()
    migrate(engine())
    code = _demo_municipality()
    made = with_connection(lambda conn: accounts.ensure_demo_users(conn, settings, code))
    if not made:
        console.print("accounts exist: no demo users created (rajapiste user list)")
        return
    # plain echo, not rich: no markup interpretation, no wrapping of the lines to copy
    typer.echo("demo accounts (the passwords are shown only now):")
    for user, password in made:
        where = f" of {user.municipality}" if user.municipality else ""
        typer.echo(f"  {user.role + where:<18} {user.email:<38} {password}")
    typer.echo("\n".join(CHANGE_HINT))
