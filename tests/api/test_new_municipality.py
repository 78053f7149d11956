"""A new municipality is one rule file and nothing else: its name and fees reach an analysis."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import RULESETS_DIR
from tests.api.test_analysis import _house, _unit

NEW_FILE = """
code = "999"
name = "Testilä"
name_sv = "Testby"

[fees]
building_base_eur = 111.0
building_per_m2_eur = 2.0

[sources]
"fees" = "Testilän rakennusvalvontataksa 2026 (test)"
"""


@pytest.fixture()
def new_rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rulesets"
    folder.mkdir()
    shutil.copy(RULESETS_DIR / "default.toml", folder / "default.toml")
    (folder / "999.toml").write_text(NEW_FILE, encoding="utf-8")
    return folder


def test_a_rule_file_adds_a_municipality(
    new_rules: Path, settings: Any, engine: Any, demo: Any
) -> None:
    from api.app import create_app

    app = create_app(settings.model_copy(update={"rulesets_dir": new_rules}))
    pid, site = _unit(engine, "true")
    body = {
        "property_id": pid,
        "municipality": "999",
        "date": "2026-03-01",
        "buildings": [
            {"footprint": _house(site), "use": "dwelling", "floor_area_m2": 100, "height_m": 4}
        ],
    }
    with TestClient(app) as client:
        doc = client.post("/api/v1/analysis/site", json=body).json()
    assert doc["rules"] == "Testilä" and doc["municipality"] == "999"
    permit = doc["fees"]["lines"][0]
    assert permit["eur"] == pytest.approx(111.0 + 2.0 * 100)  # the file's tariff, computed by hand


def test_a_rule_file_without_sources_is_refused(new_rules: Path) -> None:
    from api import rulesets
    from geo.rules import RulesetError

    (new_rules / "999.toml").write_text(NEW_FILE.split("[sources]")[0], encoding="utf-8")
    with pytest.raises(RulesetError, match=r"999\.toml: no source for fees\.building_base_eur"):
        rulesets.load_all(new_rules)


def test_a_building_without_a_height_is_as_tall_as_the_rule_file_assumes(
    new_rules: Path, settings: Any, engine: Any, demo: Any
) -> None:
    """The height taken for a drawn building without one is the rule file's, not the code's."""
    from api.app import create_app

    (new_rules / "999.toml").write_text(
        NEW_FILE.replace(
            "[sources]",
            "[setbacks]\nassumed_height_m = 12.0\n\n[sources]\n"
            '"setbacks.assumed_height_m" = "Testilän rakennusjärjestys (test)"',
        ),
        encoding="utf-8",
    )
    app = create_app(settings.model_copy(update={"rulesets_dir": new_rules}))
    pid, site = _unit(engine, "true")
    body = {
        "property_id": pid,
        "date": "2026-03-01",
        "buildings": [{"footprint": _house(site), "use": "dwelling", "floor_area_m2": 100}],
    }
    with TestClient(app) as client:
        default = client.post("/api/v1/analysis/site", json=body).json()
        own = client.post("/api/v1/analysis/site", json={**body, "municipality": "999"}).json()
    assert default["buildings"][0]["height_m"] == 4.0  # default.toml's one storey
    assert own["buildings"][0]["height_m"] == 12.0
