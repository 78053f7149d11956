"""The language of a response: `?lang=fi|sv|en`, else the request's Accept-Language."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Header, Query

from api import i18n

LANG_HELP = "language of the texts: fi, sv or en (default: Accept-Language, else en)"


async def response_lang(
    lang: Annotated[Literal["fi", "sv", "en"] | None, Query(description=LANG_HELP)] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    """The language the texts of this response are written in (async: no I/O, no thread hop)."""
    return i18n.negotiate(lang, accept_language)


LangDep = Annotated[str, Depends(response_lang)]
