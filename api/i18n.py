"""Message catalogues for the texts the server writes, and the language of a request.

The catalogues are gettext `.po` files (`api/locale/<lang>.po`), read at run time with Babel's
`read_po`: translators edit the standard format with their usual tools, and there is no compile
step to forget (the catalogues are small). Message ids are stable keys (`flag.fire_separation`);
texts use `str.format` fields whose numbers are written with Babel in the language's own format
("1,49 m" in Finnish and Swedish, "1.49 m" in English).
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from babel.core import Locale, negotiate_locale
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_decimal_quantum, get_decimal_symbol, get_group_symbol

from geo import regime
from geo.errors import DomainError

LANGS = ("fi", "sv", "en")
DEFAULT_LANG = "en"  # API clients that ask for nothing keep the English texts they had
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: str) -> dict[str, str]:
    """The messages of one language, by key."""
    with resources.files("api").joinpath("locale", f"{lang}.po").open("rb") as f:
        cat = read_po(f, locale=LOCALES[lang])
    return {str(m.id): str(m.string) for m in cat if m.id and m.string}


def negotiate(lang: str | None, accept_language: str | None) -> str:
    """The language of a response: `?lang=` if given, else the best of Accept-Language."""
    if lang:
        return lang
    if not accept_language:
        return DEFAULT_LANG
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept_language.split(",")):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if tag and weight > 0:
            ranked.append((-weight, i, tag.strip().split("-")[0].lower()))
    found = negotiate_locale([t for _, _, t in sorted(ranked)], list(LANGS))
    return str(found) if found else DEFAULT_LANG


@dataclass(frozen=True, slots=True)
class _Symbols:
    """A language's number symbols (CLDR, through Babel)."""

    group: str
    decimal: str


@lru_cache(maxsize=len(LANGS))
def _symbols(lang: str) -> _Symbols:
    locale = Locale.parse(LOCALES[lang])
    return _Symbols(get_group_symbol(locale), get_decimal_symbol(locale))


def number(lang: str, value: Any, min_frac: int, max_frac: int) -> str:
    """A number as Babel writes it with the pattern '#,##0' and min_frac to max_frac decimals.

    The steps are Babel's own (NumberPattern.apply: round half to even at max_frac, group by
    threes, drop trailing zeros down to min_frac), with the symbols looked up once per
    language: a site analysis writes some two hundred numbers, and Babel's general path spends
    most of its time parsing the pattern and finding the symbols again for each.
    tests/api/test_i18n_numbers.py checks the two give the same text.
    """
    parts = _rounded(str(value), min_frac, max_frac)  # by its text: -0.0 == 0.0, not alike
    if parts is None:  # not finite: Babel's own words for it
        return str(format_decimal(value, format=_pattern(min_frac, max_frac), locale=LOCALES[lang]))
    sign, whole, frac = parts
    sym = _symbols(lang)
    grouped = f"{whole:,}".replace(",", sym.group)
    return sign + grouped + (sym.decimal + frac if frac else "")


@lru_cache(maxsize=4096)
def _rounded(value: str, min_frac: int, max_frac: int) -> tuple[str, int, str] | None:
    """A number's sign, whole part and decimals as `number` writes them, in every language.

    Kept for the next call: a neighbour row's reason is written in all three languages, each
    with the same distances (the languages differ only in their symbols). None: not finite.
    """
    d = Decimal(value)  # str() of a float or a Decimal gives back the same Decimal
    if not d.is_finite():
        return None
    sign = "-" if d.is_signed() else ""
    rounded = abs(d).normalize().quantize(get_decimal_quantum(max_frac))
    whole, _, frac = f"{rounded:f}".partition(".")
    frac = (frac or "0").ljust(min_frac, "0")
    if max_frac == 0 or (min_frac == 0 and int(frac) == 0):
        return sign, int(whole), ""
    return sign, int(whole), frac[:min_frac] + frac[min_frac:].rstrip("0")


def _pattern(min_frac: int, max_frac: int) -> str:
    """The Babel pattern `number` follows."""
    return "#,##0" + ("." + "0" * min_frac + "#" * (max_frac - min_frac) if max_frac else "")


@lru_cache(maxsize=1024)
def _template(lang: str, key: str) -> tuple[tuple[str, str | None, str], ...]:
    """A catalogue text split once into (literal, field name, format spec) parts."""
    return tuple(
        (literal, name, spec or "")
        for literal, name, spec, _ in string.Formatter().parse(catalogue(lang)[key])
    )


def _field(lang: str, value: Any, spec: str) -> str:
    """One field of a text: numbers and days in the language's format, the rest as str.format.

    A number with a '.Nf' spec gets N decimals; an integer none; any other number up to two. A
    day is 2.3.2026 in Finnish and Swedish, 2026-03-02 in English. A legal citation (MRL 133 §)
    is said in the language's words (MBL 133 §).
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.day}.{value.month}.{value.year}" if lang in ("fi", "sv") else str(value)
    if isinstance(value, str):  # a citation in the language's words (geo.regime.said_in)
        return format(regime.said_in(lang, value), spec)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return format(value, spec)
    if spec[:1] == "." and spec[-1:] == "f":
        digits = int(spec[1:-1])
        return number(lang, value, digits, digits)
    return number(lang, value, 0, 0 if isinstance(value, int) else 2)


def text(lang: str, key: str, **params: Any) -> str:
    """The message `key` in `lang` with its fields filled; nested {'key': ...} values are messages too."""
    filled: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, dict) and "key" in value:
            filled[name] = render(lang, value)
        elif isinstance(value, dict) and "by_lang" in value:  # a name that has its own language
            filled[name] = value["by_lang"].get(lang, value["else"])
        elif isinstance(value, list):
            filled[name] = "; ".join(render(lang, v) for v in value)
        else:
            filled[name] = value
    parts = []
    for literal, field, spec in _template(lang, key):
        parts.append(literal)
        if field is not None:
            parts.append(_field(lang, filled[field], spec))
    return "".join(parts)


def render(lang: str, message: dict[str, Any]) -> str:
    """A message given as {'key': ..., field: value, ...}."""
    return text(lang, **message)


def take(
    row: dict[str, Any], lang: str, field: str = "message", source: str = "i18n"
) -> dict[str, Any]:
    """Replace a row's internal message (`source`) by its text in `lang` under `field`."""
    message = row.pop(source, None)
    if message is not None:
        row[field] = render(lang, message)
    return row


E = TypeVar("E", bound=DomainError)


def error(cls: type[E], key: str, extra: dict[str, Any] | None = None, **fields: Any) -> E:
    """A domain error whose detail is the catalogue's `key` with `fields`.

    The detail is written in the request's language (the English `message` from the English
    catalogue); `extra` goes into the problem document as members.
    """
    said = {"key": key, **fields}
    return cls(render("en", said), i18n=said, **(extra or {}))


def validation_message(lang: str, error: Mapping[str, Any]) -> str:
    """One request-validation error's text in `lang`, else the validator's own English words.

    The catalogue's text is named by the error's type (`invalid.<type>`), its context the fields.
    """
    key = f"invalid.{error.get('type')}"
    if lang == "en" or key not in catalogue(lang):
        return str(error.get("msg"))
    fields = {
        k: v
        for k, v in (error.get("ctx") or {}).items()
        if isinstance(v, str | int | float | dt.date)
    }
    expected = fields.get("expected")
    if isinstance(expected, str):  # "'a', 'b' or 'c'": the last word in `lang`
        fields["expected"] = expected.replace(" or ", f" {text(lang, 'invalid.or')} ")
    try:
        return text(lang, key, **fields)
    except KeyError:  # a context without the fields the text names: the English words
        return str(error.get("msg"))


def request_lang(lang: str | None, headers: Mapping[str, str]) -> str:
    """The language an error is said in: `?lang=` when it names one, else Accept-Language.

    For handlers that run outside the routes' `LangDep` (an unknown `lang` is not refused here).
    """
    return negotiate(lang if lang in LANGS else None, headers.get("accept-language"))


def error_detail(exc: Any, lang: str | None, headers: Mapping[str, str]) -> str:
    """A domain error's detail in the request's language (English: its own message)."""
    chosen = request_lang(lang, headers)
    if exc.i18n is None or chosen == "en":
        return str(exc.message)
    return render(chosen, exc.i18n)


def error_details(exc: Any) -> dict[str, str] | None:
    """A domain error's detail in every language (None: it has no catalogue message).

    The page says an error again in the language it switches to, without asking again.
    """
    if exc.i18n is None:
        return None
    return in_each_language(lambda x: str(exc.message) if x == "en" else render(x, exc.i18n))


def in_each_language(say: Callable[[str], str]) -> dict[str, str]:
    """`say(lang)` for each language; one whose text cannot be filled in is left out.

    An error's other languages are a courtesy: a catalogue text that fails must not cost the
    error itself (a 4xx is never turned into a 500 by them).
    """
    out = {}
    for lang in LANGS:
        try:
            out[lang] = say(lang)
        except (KeyError, ValueError, TypeError, IndexError):
            continue
    return out
