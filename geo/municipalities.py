"""Names of the municipalities the shipped rule sets and data name (code -> Finnish, Swedish)."""

from __future__ import annotations

NAMES: dict[str, tuple[str, str]] = {
    "091": ("Helsinki", "Helsingfors"),
    "244": ("Kempele", "Kempele"),
    "285": ("Kotka", "Kotka"),
    "320": ("Kemijärvi", "Kemijärvi"),
    "405": ("Lappeenranta", "Villmanstrand"),
}


def name(code: str) -> str:
    """Return the Finnish name of a municipality, or 'kunta NNN' where it is not known."""
    return NAMES.get(code, (f"kunta {code}", ""))[0]
