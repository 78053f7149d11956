"""The container set-up, read as Docker would (issue 14): this machine has no Docker engine,
so the image is not built here; what can be checked without one is checked.

- the image installs the package (not editable), runs as a non-root user, has a healthcheck
  on readiness, and its command is one the installed CLI accepts;
- compose restarts both services, takes passwords only from an env file (no fixed password),
  publishes the API on the loopback only, and starts the API once the database is healthy.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT


def _instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions (continuation lines joined), comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    out = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            op, _, rest = line.strip().partition(" ")
            out.append((op.upper(), rest.strip()))
    return out


def test_the_image_installs_the_package_and_runs_as_a_user_with_a_healthcheck() -> None:
    ins = _instructions()
    runs = " ".join(arg for op, arg in ins if op == "RUN")
    assert "pip install" in runs and not re.search(r"pip install[^&]*\s(-e|--editable)\s", runs)
    users = [arg for op, arg in ins if op == "USER"]
    assert users and users[-1] not in ("root", "0", "0:0")
    assert "--system --uid" in runs and users[-1] in runs  # the user is created in the image
    [health] = [arg for op, arg in ins if op == "HEALTHCHECK"]
    assert "/api/v1/health/ready" in health and "--interval" in health
    ops = [op for op, _ in ins]
    assert ops.index("USER") < ops.index("CMD")  # the service never starts as root


def test_the_image_command_is_accepted_by_the_installed_cli() -> None:
    [cmd] = [arg for op, arg in _instructions() if op == "CMD"]
    argv: list[str] = yaml.safe_load(cmd)  # exec form: a JSON array
    assert argv[:2] == ["rajapiste", "serve"]
    cli = Path(sys.executable).with_name("rajapiste")
    helped = subprocess.run([str(cli), *argv[1:2], "--help"], capture_output=True, text=True)
    assert helped.returncode == 0, helped.stderr
    for option in (a for a in argv[2:] if a.startswith("--")):
        assert option in helped.stdout, option


def _compose() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return doc


def test_compose_restarts_takes_secrets_from_an_env_file_and_publishes_on_loopback() -> None:
    services = _compose()["services"]
    assert set(services) == {"db", "api"}
    for name, svc in services.items():
        assert svc.get("restart") in ("unless-stopped", "always"), name
        assert svc.get("env_file") == ".env", name
        for key, value in (svc.get("environment") or {}).items():
            secret = "PASSWORD" in key or re.search(r"://[^:/]+:[^@]+@", str(value))
            if secret:  # only references to the env file, never a literal
                assert re.fullmatch(r".*\$\{[A-Z_]+:\?[^}]+\}.*", str(value)), (name, key)
    api = services["api"]
    assert all(str(p).startswith("127.0.0.1:") for p in api["ports"])
    assert api["depends_on"]["db"]["condition"] == "service_healthy"
    assert "healthcheck" in services["db"]
    # the service connects as the role that owns nothing; migrations as the owner
    env = api["environment"]
    assert "rajapiste_service:" in env["RAJAPISTE_DATABASE_URL"]
    assert "RAJAPISTE_MIGRATE_DATABASE_URL" in env


def test_the_env_example_names_every_secret_and_sets_none() -> None:
    example = (ROOT / ".env.example").read_text()
    names = set(re.findall(r"\$\{([A-Z_]+):\?", (ROOT / "docker-compose.yml").read_text()))
    given = dict(
        line.split("=", 1) for line in example.splitlines() if "=" in line and line[0] != "#"
    )
    assert names <= set(given) and all(v.strip() == "" for v in given.values())
    ignored = (ROOT / ".gitignore").read_text().split()
    assert ".env" in ignored


def test_the_database_init_script_creates_the_service_role_from_the_env() -> None:
    script = (ROOT / "docker" / "initdb" / "10-service-role.sh").read_text()
    assert "RAJAPISTE_SERVICE_PASSWORD" in script
    assert not re.search(r"PASSWORD\s+'[^$']", script)  # no literal password
    assert script.startswith("#!/bin/sh\n") and "set -eu" in script
    checked = subprocess.run(["sh", "-n", str(ROOT / "docker/initdb/10-service-role.sh")])
    assert checked.returncode == 0  # the shell parses it
