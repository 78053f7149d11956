"""`pip install .` (not editable) gives a working `rajapiste` with its SQL, rule files and web assets."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    return next(out.glob("rajapiste-*.whl"))


def test_the_wheel_carries_sql_rules_and_web_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "api/services/neighbours.py",
        "api/rulesets/default.toml",
        "sql/migrations/0002_core.sql",
        "sql/queries/opposite_details.sql",
        "api/locale/fi.po",
        "api/documents/fonts/DejaVuSans.ttf",
        "web/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "web/static/index.html",
        "web/static/i18n/fi.json",
        "web/static/vendor/leaflet/leaflet.js",
        "web/static/vendor/proj4/proj4.js",
        "web/static/vendor/proj4leaflet/proj4leaflet.js",
        "sql/migrations/0070_tile_matrix.sql",
        "web/templates/hearing_package.html",
    ):
        assert needed in names, needed


def test_the_wheel_installs_and_runs_in_a_fresh_virtualenv(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # The venv gets no pip of its own (ensurepip took 7 s): this pip installs into it.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    # Dependencies come from the package registry (pip's cache makes repeated runs quick).
    # Not byte-compiled at install (30 of 75 s, most of it modules nothing here imports): the
    # first run below compiles what it imports and keeps it for the second.
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")
    }
    install = [sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-compile"]
    subprocess.run([*install, str(wheel)], check=True, timeout=900)
    help_text = subprocess.run(
        [str(venv / "bin" / "rajapiste"), "--help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "import" in help_text and "neighbours" in help_text
    probe = (
        "import sys, api.app, api.storage.sqlfiles as s, api.rulesets as r, api.settings as st;"
        "assert api.app.__file__.startswith(sys.prefix), api.app.__file__;"  # the wheel's copy
        "from api.http.assets import web_dir;"
        "assert s.query('neighbours_adjacent') is not None and len(s.migrations()) >= 4;"
        "assert '405' in r.known_codes(st.RULESETS_DIR);"
        "assert (web_dir() / 'static' / 'index.html').exists();"
        "app = api.app.create_app(); print('ok', len(app.routes))"
    )
    run = subprocess.run(
        [str(py), "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0 and run.stdout.startswith("ok"), run.stderr
