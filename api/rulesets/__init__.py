"""The municipal rule files (TOML, shipped as package data): load, validate once, resolve by date.

`default.toml` is the national default and sets every key with its source; a
municipality's file (named by its code, e.g. `405.toml`) sets its name, Swedish
name and whatever differs, each with its source. A new municipality is one file.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from bisect import bisect_right
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo.errors import NotFound
from geo.rules import Ruleset, RulesetError, build, overlay, validate_document

DEFAULT = "default"


@lru_cache(maxsize=8)
def _documents(directory: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    docs: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            # Decimal: money in a rule file is exact (4.30 stays 4.30)
            doc = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except tomllib.TOMLDecodeError as exc:
            raise RulesetError(f"{path}: not valid TOML: {exc}") from exc
        code = str(doc.get("code", path.stem))
        validate_document(str(path), doc, complete=code == DEFAULT)
        if code != DEFAULT and not (code.isdigit() and len(code) == 3):
            raise RulesetError(f"{path}: code {code!r} is not a three-digit municipality code")
        docs[code] = (str(path), doc)
    if DEFAULT not in docs:
        raise RulesetError(f"{directory}: default.toml (the national default) is missing")
    return docs


@lru_cache(maxsize=64)
def _resolved(directory: Path) -> Path:
    """The folder's absolute path, resolved once (not with a file-system walk per request).

    A relative folder is resolved against the working directory of the first call (the
    settings' default is absolute).
    """
    return directory.resolve()


def load_all(directory: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """Validate every rule set file of a directory; return them by municipality code."""
    return _documents(_resolved(directory))


def known_codes(directory: Path) -> list[str]:
    """Return the municipality codes that have their own rule set."""
    return sorted(c for c in load_all(directory) if c != DEFAULT)


def municipality_name(directory: Path, code: str, lang: str = "fi") -> str:
    """A municipality's name from its rule file, or 'kunta NNN' where it has no file.

    In `lang` 'sv' the Swedish name where the file gives one; else the Finnish name.
    """
    doc = load_all(directory).get(code.zfill(3))
    if not doc:
        return f"kunta {code.zfill(3)}"
    names = doc[1]
    return str(names.get("name_sv") or names.get("name") if lang == "sv" else names.get("name"))


def rules_for(
    directory: Path, municipality: str | None, on: dt.date, *, strict: bool = False
) -> Ruleset:
    """Return the rules of `municipality` in force on `on` (national default where it has none).

    Resolved once per (folder, municipality, version in force): a request does no rule-file
    work, whatever its date. The rules change only on the days the default's and the
    municipality's `[[versions]]` take effect, so `on` is taken back to the last of those on or
    before it (`date.min` before the first): every day between two of them has the same rules.
    """
    folder = _resolved(directory)
    days = _change_days(folder, municipality.zfill(3) if municipality else None)
    i = bisect_right(days, on)
    return _rules_for(folder, municipality, days[i - 1] if i else dt.date.min, strict)


@lru_cache(maxsize=16)
def most_reminder_days(directory: Path) -> int:
    """The longest reminder window of any rule set in any of its versions (a prefilter's bound)."""
    folder = _resolved(directory)
    return max(
        _rules_for(folder, code, day, False).applications.reminder_days
        for code in (None, *known_codes(folder))
        for day in (dt.date.min, *_change_days(folder, code))
    )


@lru_cache(maxsize=1024)
def _change_days(directory: Path, code: str | None) -> tuple[dt.date, ...]:
    """The days on which the rules of `code` change: its own and the default's versions."""
    docs = load_all(directory)
    parts = [docs[DEFAULT][1], *([docs[code][1]] if code in docs else [])]
    return tuple(sorted({v["effective_from"] for d in parts for v in d.get("versions", [])}))


@lru_cache(maxsize=4096)
def _rules_for(directory: Path, municipality: str | None, on: dt.date, strict: bool) -> Ruleset:
    docs = load_all(directory)
    default_where, default_doc = docs[DEFAULT]
    national, national_since = overlay({}, default_doc, on)
    code = municipality.zfill(3) if municipality else None
    if code and code in docs:
        where, doc = docs[code]
        merged, since = overlay(national, doc, on)
        merged["name_sv"] = doc.get("name_sv", doc.get("name", code))  # never the default's
        return build(where, merged, max(since, national_since), (default_where, where))
    if strict and code:
        raise NotFound(
            f"unknown municipality {code}: no rule set; known: {', '.join(known_codes(directory))}",
            municipality=code,
        )
    merged = dict(national)
    if code:
        merged.update(
            code=code,
            name=f"{code} (national default rules)",
            name_sv=f"{code} (nationella standardregler)",
        )
    return build(default_where, merged, national_since, (default_where,))
