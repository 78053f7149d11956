"""Message catalogues for the texts the server writes, and the language of a request.

The catalogues are gettext `.po` files (`api/locale/<lang>.po`), read at run time with Babel's
`read_po`: translators edit the standard format with their usual tools, and there is no compile
step to forget (the catalogues are small). Message ids are stable keys (`flag.fire_separation`);
texts use `str.format` fields whose numbers are written with Babel in the language's own format
("1,49 m" in Finnish and Swedish, "1.49 m" in English).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from babel.core import Locale, negotiate_locale
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, parse_pattern

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


@lru_cache(maxsize=8)
def _number_pattern(pattern: str) -> NumberPattern:
    """A Babel number pattern, parsed once."""
    return parse_pattern(pattern)


class _Formatter(string.Formatter):
    """str.format with numbers in the language's format (Babel) and nested messages.

    One per language (`_formatter`): a Babel locale is costly to parse, and a neighbour list
    writes some forty texts.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = Locale.parse(LOCALES[lang])

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float) and not _is_dec(value):
            return str(super().format_field(value, format_spec))
        digits = int(format_spec[1:-1]) if format_spec[:1] == "." and format_spec[-1:] == "f" else 0
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        if not format_spec and not isinstance(value, int):
            pattern = "#,##0.##"
        return str(_number_pattern(pattern).apply(value, self.locale))


@lru_cache(maxsize=len(LANGS))
def _formatter(lang: str) -> _Formatter:
    return _Formatter(lang)


def _is_dec(value: Any) -> bool:
    return type(value).__name__ == "Decimal"


def text(lang: str, key: str, **params: Any) -> str:
    """The message `key` in `lang` with its fields filled; nested {'key': ...} values are messages too."""
    filled: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, dict) and "key" in value:
            filled[name] = render(lang, value)
        elif isinstance(value, list):
            filled[name] = "; ".join(render(lang, v) for v in value)
        else:
            filled[name] = value
    return _formatter(lang).format(catalogue(lang)[key], **filled)


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


def error_detail(exc: Any, lang: str | None, headers: Mapping[str, str]) -> str:
    """A domain error's detail in the request's language (English: its own message)."""
    chosen = negotiate(lang if lang in LANGS else None, headers.get("accept-language"))
    if exc.i18n is None or chosen == "en":
        return str(exc.message)
    return render(chosen, exc.i18n)
