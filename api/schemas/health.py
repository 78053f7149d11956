"""Documents of the liveness and readiness checks."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class Live(BaseModel):
    """The process answers (nothing else is checked)."""

    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    """The database answers and every migration the code knows is applied."""

    status: Literal["ok"] = "ok"
    database: Literal["ok"] = "ok"
    migrations: str  # the newest migration applied
