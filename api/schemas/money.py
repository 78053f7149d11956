"""Money in documents: Decimal euros inside, JSON numbers (two decimals) outside."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import PlainSerializer

# pydantic writes Decimal as a JSON string by default; euros are numbers in every document.
Money = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
