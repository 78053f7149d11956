"""Import owners (personal data) from CSV: the owners of each unit in the file replace its earlier ones."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from api.gcpause import gc_paused
from api.ingest.base import ImportRefused, Rejection, Summary, commit
from api.storage.copy import Progress, copy_rows, no_progress
from geo import property_id
from geo.errors import DomainError
from geo.hearing import OWNER_KINDS

OWNER_COLUMNS = (
    "property_id",
    "kind",
    "name",
    "share",
    "contact_name",
    "address",
    "postal_code",
    "city",
    "email",
)
REQUIRED = ("property_id", "kind", "name")
# The importer also reads an optional `language` column: the letters' language, fi or sv.
LOAD_COLUMNS = (*OWNER_COLUMNS, "language")
LANGUAGES = ("fi", "sv")
# A Finnish personal identity code (henkilötunnus): birth date, century sign, number, check
# character. Never stored (domain.md N9): a row holding one in any field is refused.
IDENTITY_CODE = re.compile(r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])")


def _text(path: Path) -> str:
    """The file as UTF-8 text; other bytes refuse it with the line they are on."""
    if not path.exists():
        raise ImportRefused(f"{path}: no such file")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused(
            f"{path}: line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}): "
            "save the file as UTF-8"
        ) from exc


def _reader(path: Path, id_field: str | None = None) -> list[tuple[int, dict[str, str]]]:
    """The rows of an owners CSV with their line numbers; a malformed file is refused whole.

    Every row must have as many fields as the header and every quote must close: a file cut
    short (a row ending mid-field) is refused, never imported in part.
    """
    text = _text(path)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    try:  # the header's separator: comma, semicolon (a Finnish Excel's) or tab
        dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = "excel"  # one column, or none: the missing columns are named below
    reader = csv.reader(io.StringIO(text), dialect=dialect, strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] = []
    line = 1
    try:
        for fields in reader:
            if fields and not header:
                header = [f.strip() for f in fields]
                if id_field:  # --id-field: that column holds the property ids, no other
                    if id_field not in header:
                        raise ImportRefused(
                            f"{path}: no column {id_field!r} (--id-field); columns: "
                            + ", ".join(header)
                        )
                    header = [
                        "property_id" if h == id_field else ("" if h == "property_id" else h)
                        for h in header
                    ]
            elif fields and len(fields) != len(header):
                raise ImportRefused(
                    f"{path}: line {line}: {len(fields)} fields where the header has "
                    f"{len(header)} (a row cut short, or an unquoted separator?)"
                )
            elif fields:
                rows.append((line, dict(zip(header, fields, strict=True))))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportRefused(
            f"{path}: line {line}: malformed CSV ({exc}): is a quote left open?"
        ) from exc
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRefused(
            f"{path}: missing column(s) {', '.join(missing)}; columns: {', '.join(OWNER_COLUMNS)}"
        )
    return rows


def _row(rec: dict[str, str]) -> tuple[Any, ...]:
    """One owner row; a DomainError says what is wrong with it."""
    if any("\x00" in (v or "") for v in rec.values()):
        raise DomainError("a field holds a NUL (0x00) character")
    pid = property_id.normalise(rec["property_id"] or "")
    kind = (rec.get("kind") or "").strip().lower()
    if kind not in OWNER_KINDS:
        raise DomainError(f"kind {kind!r} not one of {', '.join(OWNER_KINDS)}")
    if not (rec.get("name") or "").strip():
        raise DomainError("name is empty")
    for column in OWNER_COLUMNS[2:]:
        if IDENTITY_CODE.search(rec.get(column) or ""):
            raise DomainError(
                f"{column} holds what looks like a personal identity code: identity codes are"
                " never stored; remove it from the file"
            )
    language = (rec.get("language") or "fi").strip().lower()
    if language not in LANGUAGES:
        raise DomainError(f"language {language!r} not one of {', '.join(LANGUAGES)}")
    return (pid, kind, *[(rec.get(c) or None) for c in OWNER_COLUMNS[2:]], language)


def _known_units(engine: Engine, ids: list[str]) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT property_id FROM property_unit WHERE property_id = ANY(CAST(:ids AS text[]))"
            ),
            {"ids": ids},
        )
        return {r[0] for r in rows}


@gc_paused()
def import_owners(
    engine: Engine,
    path: Path,
    *,
    id_field: str | None = None,
    allow_rejections: bool = False,
    progress: Progress = no_progress,
) -> Summary:
    """Import owners from CSV; the owners of each unit in the file replace its earlier ones.

    `id_field` names the column of the property ids (default property_id).
    """
    summary = Summary("owners", str(path))
    rows = []
    held: set[str] = set()  # units with a rejected row: their stored owners stay as they are
    for n, (line, rec) in enumerate(_reader(path, id_field), start=1):
        summary.read += 1
        try:
            rows.append(_row(rec))
        except DomainError as exc:
            summary.rejections.append(Rejection(n, f"line {line}: {exc.message}"))
            with contextlib.suppress(DomainError):  # a row naming no unit holds none
                held.add(property_id.normalise(rec.get("property_id") or ""))
    # With --skip-invalid, a unit's accepted rows alone would replace all its owners: a
    # co-owner on a rejected line would silently leave the hearing. The unit is kept whole.
    summary.held = sorted(held)
    rows = [r for r in rows if r[0] not in held]
    ids = sorted({r[0] for r in rows})
    known = _known_units(engine, ids)
    summary.rejections += [
        Rejection(0, f"unknown property {pid}: import its parcels first")
        for pid in ids
        if pid not in known
    ]
    rows = [r for r in rows if r[0] in known]

    def load(cur: Any, progress: Progress) -> int:
        cur.execute("DELETE FROM personal.owner WHERE property_id = ANY(%s)", (ids,))
        return copy_rows(cur, "personal.owner", LOAD_COLUMNS, rows, len(rows), progress)

    return commit(engine, summary, load, allow_rejections=allow_rejections, progress=progress)
