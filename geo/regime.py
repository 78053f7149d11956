"""The two legal regimes (domain.md section 0) and the sections each result cites.

On 1.1.2025 the Land Use and Building Act (MRL 132/1999) was split into the
Building Act (RakL 751/2023) and the Land Use Act (AKL). A case is decided under
the regime in force on its filing date (RakL 194 §: pending cases finish under
the old rules).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geo import timelimits
from geo.errors import InvalidInput

SPLIT_DATE = dt.date(2025, 1, 1)
EARLIEST_DATE = dt.date(2000, 1, 1)  # MRL entered into force on 1.1.2000
MAX_YEARS_AHEAD = 5


@dataclass(frozen=True, slots=True)
class Regime:
    """A legal regime and the sections it cites for each topic."""

    code: str
    name: str
    citations: dict[str, str]


MRL = Regime(
    "MRL",
    "Maankäyttö- ja rakennuslaki 132/1999",
    {
        "neighbour_hearing": "MRL 133 §, MRA 65 §",
        "public_notice": "MRA 65 §",
        "deviation_hearing": "MRL 173 §, MRA 86 §",
        "deviation": "MRL 171–174 §",
        "minor_deviation": "MRL 175 §",
        "planning_need_area": "MRL 16 §",
        "planning_need_decision": "MRL 137 § (suunnittelutarveratkaisu)",
        "shore_plan_required": "MRL 72 §",
        "shore_deviation": "MRL 72 § ja 171 §",
        "site_area_minimum": "MRL 116 §",
        "outside_plan_setback": "MRA 57 §",
        "neighbour_building": "MRA 57 §",
        "fire_separation": "Ympäristöministeriön asetus rakennusten paloturvallisuudesta 848/2017",
        "road_protection_zone": "Laki liikennejärjestelmästä ja maanteistä 503/2005, 44 §",
    },
)
RAKL = Regime(
    "RakL",
    "Rakentamislaki 751/2023 ja alueidenkäyttölaki 132/1999",
    {
        "neighbour_hearing": "RakL 63 §",
        "public_notice": "RakL 63 §",
        "deviation_hearing": "RakL 64 §",
        "deviation": "RakL 57 §",
        "minor_deviation": "RakL 59 §",
        "planning_need_area": "AKL 16 §",
        "planning_need_decision": "RakL 46 § (suunnittelutarvealueen rakentamisen edellytykset)",
        "shore_plan_required": "AKL 72 §",
        "shore_deviation": "AKL 72 § ja RakL 57 §",
        "site_area_minimum": "RakL 45 §",
        "outside_plan_setback": "RakL 45 §",
        "neighbour_building": "RakL 45 §",
        "fire_separation": "Ympäristöministeriön asetus rakennusten paloturvallisuudesta 848/2017",
        "road_protection_zone": "Laki liikennejärjestelmästä ja maanteistä 503/2005, 44 §",
    },
)


def for_date(day: dt.date) -> Regime:
    """Return the regime a case filed on `day` is decided under."""
    return MRL if day < SPLIT_DATE else RAKL


def cite(day: dt.date, topic: str) -> str:
    """The section a case filed on `day` cites for `topic` (a key of `Regime.citations`)."""
    return for_date(day).citations[topic]


def latest_date(today: dt.date) -> dt.date:
    """The last day a request may name: MAX_YEARS_AHEAD years after today (29.2: 28.2)."""
    return timelimits.add_years(today, MAX_YEARS_AHEAD)


def date_problem(day: dt.date, today: dt.date) -> str | None:
    """Why a day is out of the range any request may name (2000 to five years ahead), or None."""
    if day < EARLIEST_DATE:
        return f"date {day} is before {EARLIEST_DATE}: no regime covers it"
    if day > latest_date(today):
        return f"date {day} is more than {MAX_YEARS_AHEAD} years ahead"
    return None


def check_date(day: dt.date, today: dt.date) -> None:
    """Refuse application dates before 2000 or more than five years ahead."""
    problem = date_problem(day, today)
    if problem:
        raise InvalidInput(problem, date=str(day))


# The citations above in Swedish and English (a Swedish-speaking officer cites MBL, not MRL;
# the Building Act has no established Swedish abbreviation: "bygglagen"):
# the acts' abbreviations or names, then the Finnish words some citations hold.
ACTS = {
    "sv": {
        "MRL": "MBL",  # markanvändnings- och bygglagen
        "MRA": "MBF",  # markanvändnings- och byggförordningen
        "RakL": "bygglagen",
        "AKL": "områdesanvändningslagen",
    },
    "en": {
        "MRL": "Land Use and Building Act",
        "MRA": "Land Use and Building Decree",
        "RakL": "Building Act",
        "AKL": "Land Use Act",
    },
}
WORDS = {
    "sv": {
        "(suunnittelutarveratkaisu)": "(avgörande som gäller planeringsbehov)",
        "(suunnittelutarvealueen rakentamisen edellytykset)": (
            "(förutsättningar för byggande på område i behov av planering)"
        ),
        "Ympäristöministeriön asetus rakennusten paloturvallisuudesta": (
            "Miljöministeriets förordning om brandsäkerhet i byggnader"
        ),
        "Laki liikennejärjestelmästä ja maanteistä": "Lag om trafiksystem och landsvägar",
        "Laki säädettyjen määräaikain laskemisesta": "Lag om beräknande av laga termin",
        " ja ": " och ",  # last: the long names hold it
    },
    "en": {
        "(suunnittelutarveratkaisu)": "(planning-need decision)",
        "(suunnittelutarvealueen rakentamisen edellytykset)": (
            "(conditions for building in a planning-need area)"
        ),
        "Ympäristöministeriön asetus rakennusten paloturvallisuudesta": (
            "Decree of the Ministry of the Environment on the fire safety of buildings"
        ),
        "Laki liikennejärjestelmästä ja maanteistä": "Act on the Transport System and Highways",
        "Laki säädettyjen määräaikain laskemisesta": "Act on the Calculation of Statutory Time Limits",
        " ja ": " and ",  # last: the long names hold it
    },
}
CITATIONS = frozenset(
    [*MRL.citations.values(), *RAKL.citations.values(), MRL.code, RAKL.code, timelimits.ACT]
)


# A rule file's citation of sections of these acts, with subsections: "AKL 72 § 3 mom",
# "MRL 137 § 2 mom; MRL 72 § 3 mom", "MRL 171–174 §", "MRL 171 a §".
_SECTION = r"(?:MRL|MRA|RakL|AKL) \d+(?: ?[a-z])?(?:[–-]\d+(?: ?[a-z])?)? §(?: \d+ mom)?"
SECTIONS = re.compile(rf"{_SECTION}(?:(?:, |; | / | ja ){_SECTION})*")
# a subsection in Swedish ("72 § 3 mom.") and English ("72 §, subsection 3")
SUBSECTION = {"sv": r"§ \1 mom.", "en": r"§, subsection \1"}


def said_in(lang: str, citation: str) -> str:
    """A citation of this module, a regime's code or a rule file's citation in `lang`.

    A rule file's citation is one of sections of these acts (`SECTIONS`); any other text is
    left as it is.
    """
    known = citation in CITATIONS or SECTIONS.fullmatch(citation)
    if lang not in ACTS or not known:
        return citation
    out = citation
    for fi, other in WORDS[lang].items():
        out = out.replace(fi, other)
    out = re.sub(r"§ (\d+) mom\b", SUBSECTION[lang], out)
    return re.sub(r"\b(MRL|MRA|RakL|AKL)\b", lambda m: ACTS[lang][m.group(1)], out)
