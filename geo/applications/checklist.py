"""The required-attachment checklist of an application, from the municipality's rule file.

Every case of a kind needs what the rule file lists for it; the site plan's scale depends on
whether the site lies in a detailed plan (1:200 inside, 1:500 outside in Lappeenranta); a
site with co-owners or an estate needs powers of attorney from the other owners; an
applicant who hears the neighbours attaches the proof of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from geo.rules import ApplicationRules

# What each attachment is, in English and Finnish (the UI's catalogues name them too).
TITLES = {
    "site_plan": ("site plan", "asemapiirros"),
    "proof_of_ownership": (
        "proof of ownership or possession",
        "omistus- tai hallintaoikeusselvitys",
    ),
    "main_drawings": ("main drawings", "pääpiirustukset"),
    "power_of_attorney": ("powers of attorney of the co-owners", "valtakirjat muilta omistajilta"),
    "neighbour_hearing": ("proof of the neighbours' hearing", "selvitys naapurien kuulemisesta"),
    "traffic_plan": (
        "temporary traffic arrangement plan",
        "tilapäinen liikennejärjestelysuunnitelma",
    ),
    "other": ("other attachment", "muu liite"),
}


@dataclass(frozen=True, slots=True)
class Item:
    """One attachment the application needs, and why."""

    code: str
    title: str
    title_fi: str
    reason: str
    scale: int | None = None


def checklist(
    kind: str,
    rules: ApplicationRules,
    in_detailed_plan: bool,
    co_owned: bool,
    heard_by: str,
) -> list[Item]:
    """The attachments a case of `kind` needs on this site."""
    codes = list(rules.required_attachments.get(kind, []))
    if co_owned and rules.power_of_attorney_for_co_owners and kind not in ("excavation",):
        codes.append("power_of_attorney")
    if heard_by == "applicant" and rules.neighbour_hearing_proof and kind != "excavation":
        codes.append("neighbour_hearing")
    items = []
    for code in dict.fromkeys(codes):
        en, fi = TITLES.get(code, (code, code))
        scale, reason = None, f"the rule file lists it for {kind} cases"
        if code == "site_plan":
            scale = (
                rules.site_plan_scale_in_plan
                if in_detailed_plan
                else rules.site_plan_scale_outside_plan
            )
            where = "inside a detailed plan" if in_detailed_plan else "outside detailed plans"
            reason = f"1:{scale} {where}"
        elif code == "power_of_attorney":
            reason = "the site has several owners or an estate owns it (every owner is a party)"
        elif code == "neighbour_hearing":
            reason = "the applicant hears the neighbours"
        items.append(Item(code, en, fi, reason, scale))
    return items


def missing(items: Iterable[Item], attached: Iterable[str]) -> list[str]:
    """The codes of required attachments not yet attached."""
    have = set(attached)
    return [i.code for i in items if i.code not in have]
