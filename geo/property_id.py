"""Finnish property ids (kiinteistötunnus): parse any written form, store 14 digits.

Forms accepted: 14 digits (``09102206940025``), short (``91-22-694-25``) and
long (``091-022-0694-0025``); an unseparated parcel (määräala) adds ``M`` and
four digits (``091-012-0203-0015-M-0014``), stored as 18 characters
``09101202030015M0014``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.errors import InvalidPropertyId

ACCEPTED_FORMS = (
    "14 digits (09102206940025), short 91-22-694-25, long 091-022-0694-0025, "
    "or a määräala with -M-NNNN"
)

_DASHED = re.compile(
    r"^(\d{1,3})-(\d{1,3})-(\d{1,4})-(\d{1,4})(?:-?M-?(\d{1,4}))?$", re.IGNORECASE | re.ASCII
)
_DIGITS = re.compile(r"^(\d{14})(?:M(\d{4}))?$", re.IGNORECASE | re.ASCII)

MUNICIPALITY_CODE = r"[0-9]{1,3}"  # as written: 91 or 091, ASCII digits only


def municipality_code(text: str) -> str | None:
    """The three-digit code of a municipality written as one to three digits (91: 091), or None."""
    return text.zfill(3) if re.fullmatch(MUNICIPALITY_CODE, text) else None


# Public-area units have block code 99xx (domain.md section 7).
PUBLIC_TYPES: dict[str, str] = {
    "9901": "street",
    "9902": "square",
    "9903": "park",
    "9904": "recreation",
    "9905": "traffic",
    "9906": "public_other",
    "9907": "public_other",
    "9908": "public_other",
    "9909": "water",
}


@dataclass(frozen=True, slots=True)
class PropertyId:
    """A parsed property id."""

    municipality: str
    village: str
    block: str
    unit: str
    maaraala: str | None = None

    @property
    def digits(self) -> str:
        """Storage form: 14 digits, plus M and 4 digits for a määräala."""
        base = f"{self.municipality}{self.village}{self.block}{self.unit}"
        return base + (f"M{self.maaraala}" if self.maaraala else "")

    @property
    def short(self) -> str:
        """Short display form without leading zeros, e.g. 91-22-694-25."""
        parts = [str(int(p)) for p in (self.municipality, self.village, self.block, self.unit)]
        text = "-".join(parts)
        return text + (f"-M-{int(self.maaraala)}" if self.maaraala else "")

    @property
    def long(self) -> str:
        """Long display form with all digits, e.g. 091-022-0694-0025."""
        text = f"{self.municipality}-{self.village}-{self.block}-{self.unit}"
        return text + (f"-M-{self.maaraala}" if self.maaraala else "")

    @property
    def is_public_area(self) -> bool:
        """True for public-area units (block code 99xx: streets, parks, water, ...)."""
        return self.block.startswith("99")

    @property
    def public_type(self) -> str | None:
        """The public-area type (street, park, water, ...) or None for a private unit."""
        if not self.is_public_area:
            return None
        return PUBLIC_TYPES.get(self.block, "public_other")


def parse(text: str) -> PropertyId:
    """Parse a property id in any accepted form; raise InvalidPropertyId otherwise."""
    raw = (text or "").strip().replace(" ", "")
    m = _DIGITS.match(raw)
    if m:
        d = m.group(1)
        return PropertyId(d[0:3], d[3:6], d[6:10], d[10:14], m.group(2))
    m = _DASHED.match(raw)
    if m:
        mun, vil, blk, unit, ma = m.groups()
        return PropertyId(
            mun.zfill(3), vil.zfill(3), blk.zfill(4), unit.zfill(4), ma.zfill(4) if ma else None
        )
    raise InvalidPropertyId(
        f"{text!r} is not a property id; accepted forms: {ACCEPTED_FORMS}", value=text
    )


def normalise(text: str) -> str:
    """Return the storage form (14 digits) of a property id in any accepted form."""
    return parse(text).digits


def short(digits: str) -> str:
    """Return the short display form of a stored id."""
    return parse(digits).short
