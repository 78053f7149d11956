"""Numbers in the server's texts are written exactly as Babel writes them (api/i18n.py).

`i18n.number` follows Babel's steps with the symbols looked up once; here Babel's own
`format_decimal` is the reference, over values where rounding, grouping and trailing zeros
matter, and whole texts are checked against `str.format` filled with Babel's numbers.
"""

from __future__ import annotations

import random
import string
from decimal import Decimal
from typing import Any

import pytest
from babel.numbers import format_decimal

from api import i18n

PATTERNS = {(0, 0): "#,##0", (0, 2): "#,##0.##", (1, 1): "#,##0.0", (2, 2): "#,##0.00"}


def values() -> list[Any]:
    """Hand-picked edge cases (halves, nines, thousands) and random floats, ints and Decimals."""
    rnd = random.Random(12)
    picked: list[Any] = [0, 0.0, -0.0, 1, 999, 1000, 9999.995, 2.675, 0.125, 0.005, 1.005]
    picked += [1234567.891, 999999.999, 0.1 + 0.2, 12.5, 13.5, -3.25, -1234.5, 10**12 + 0.5]
    picked += [Decimal("56.00"), Decimal("1234.565"), Decimal("0.0049"), Decimal("-7.5")]
    picked += [rnd.uniform(0, 10 ** rnd.randint(0, 8)) for _ in range(3000)]
    picked += [round(rnd.uniform(0, 5000), rnd.randint(0, 4)) for _ in range(2000)]
    picked += [rnd.randint(-(10**7), 10**7) for _ in range(500)]
    return picked


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_numbers_are_written_as_babel_writes_them(lang: str) -> None:
    locale = i18n.LOCALES[lang]
    wrong = [
        (v, frac, i18n.number(lang, v, *frac), format_decimal(v, format=p, locale=locale))
        for v in values()
        for frac, p in PATTERNS.items()
        if i18n.number(lang, v, *frac) != format_decimal(v, format=p, locale=locale)
    ]
    assert not wrong, wrong[:5]


def test_a_finnish_number_is_grouped_with_a_no_break_space_and_a_comma() -> None:
    # Written by hand from CLDR: fi groups thousands with U+00A0 and uses a decimal comma.
    assert i18n.number("fi", 1234567.891, 0, 2) == "1\u00a0234\u00a0567,89"
    assert i18n.number("en", 1234567.891, 0, 2) == "1,234,567.89"
    assert i18n.number("sv", 56, 2, 2) == "56,00"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_catalogue_text_is_filled_as_str_format_fills_it(lang: str) -> None:
    """Each text with sample fields, against str.format with Babel's numbers as the reference."""

    class Reference(string.Formatter):
        def format_field(self, value: Any, spec: str) -> str:
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
                return str(super().format_field(value, spec))
            digits = int(spec[1:-1]) if spec[:1] == "." and spec[-1:] == "f" else 0
            pattern = "#,##0" + ("." + "0" * digits if digits else "")
            if not spec and not isinstance(value, int):
                pattern = "#,##0.##"
            return str(format_decimal(value, format=pattern, locale=i18n.LOCALES[lang]))

    rnd = random.Random(lang)
    checked = 0
    for key, template in i18n.catalogue(lang).items():
        names = {n for _, n, _, _ in string.Formatter().parse(template) if n}
        for _ in range(5):
            fields: dict[str, Any] = {}
            for n in names:
                fields[n] = rnd.choice([rnd.uniform(0, 20000), rnd.randint(0, 5000), "Mäkikatu"])
            try:
                expected = Reference().format(template, **fields)
            except (ValueError, TypeError):
                continue  # a number-only spec ('.1f') given a text: not a real combination
            assert i18n.text(lang, key, **fields) == expected, (key, fields)
            checked += 1
    assert checked > 100
