"""The vendored DejaVu Sans fonts, registered with ReportLab once."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@lru_cache(maxsize=1)
def register() -> tuple[str, str]:
    """Register the fonts (package data of api.documents) and return (regular, bold) names."""
    folder = resources.files("api.documents").joinpath("fonts")
    for name in (REGULAR, BOLD):
        with resources.as_file(folder.joinpath(f"{name}.ttf")) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    return REGULAR, BOLD
