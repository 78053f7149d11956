"""Load the municipal rule set files (TOML) and resolve the rules in force on a date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo.errors import NotFound
from geo.rules import Ruleset, RulesetError, build, overlay, validate_document


@lru_cache(maxsize=8)
def _documents(directory: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    docs: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise RulesetError(f"{path}: not valid TOML: {exc}") from exc
        validate_document(str(path), doc)
        code = str(doc.get("code", path.stem))
        docs[code] = (str(path), doc)
    if "default" not in docs:
        raise RulesetError(f"{directory}: default.toml (the national default) is missing")
    return docs


def load_all(directory: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """Validate every rule set file of a directory; return them by municipality code."""
    return _documents(directory.resolve())


def known_codes(directory: Path) -> list[str]:
    """Return the municipality codes that have their own rule set."""
    return sorted(c for c in load_all(directory) if c != "default")


def rules_for(
    directory: Path, municipality: str | None, on: dt.date, *, strict: bool = False
) -> Ruleset:
    """Return the rules of `municipality` in force on `on` (national default where it has none)."""
    docs = load_all(directory)
    default_where, default_doc = docs["default"]
    national, national_since = overlay({}, default_doc, on)
    code = municipality.zfill(3) if municipality else None
    if code and code in docs:
        where, doc = docs[code]
        merged, since = overlay(national, doc, on)
        return build(where, merged, max(since, national_since))
    if strict and code:
        raise NotFound(
            f"unknown municipality {code}: no rule set; known: {', '.join(known_codes(directory))}",
            municipality=code,
        )
    rules = build(default_where, national, national_since)
    if code:
        return dataclasses.replace(rules, code=code, name=f"{code} (national default rules)")
    return rules
