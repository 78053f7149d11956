"""Which data each check had (issue 13): `coverage`, `not_checked`, the response's language."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CoverageEntry(BaseModel):
    """Whether the data a check needs lies at the site, why, and where it came from (and when)."""

    checked: bool
    reason: str
    source: str | None = None


class Coverage(BaseModel):
    """One entry per kind of data a check needs (issue 13): no flag where `checked` is false."""

    parcels: CoverageEntry
    plans: CoverageEntry
    shore: CoverageEntry
    roads: CoverageEntry
    buildings: CoverageEntry


class NotChecked(BaseModel):
    """Checks that were not made for want of one kind of data ("not checked: no plan data here")."""

    data: str
    checks: list[str]
    message: str


class Checked(BaseModel):
    """What a checked document says about its data and its language (analysis, dig check)."""

    lang: str = "en"  # the language of its texts
    coverage: Coverage
    not_checked: list[NotChecked] = Field(default_factory=list)
    all_checked: bool = True  # every check had its data (else see not_checked)
