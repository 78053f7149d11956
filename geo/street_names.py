"""The name of each street parcel: the road centreline that runs longest inside it.

A street unit's crossing area (sql/queries/refresh_crossing_area.sql) is named after the
centrelines that meet its parcel: lines are grouped by name, a named group before the
unnamed one, then the longest group by the summed length of its lines inside the parcel;
equal lengths go to the name first in code point order. The group's lines say whether it is a
state road. A parcel no line meets is left out; one that only unnamed lines meet is given the
name None and their state road flag (the unit's own name is used for both).

Pure: shapely and numpy only. A bulk load names every street parcel of a town at once: one
tree query and vectorised intersections (shapely releases the interpreter's lock, so chunks
run on every core) instead of one index probe and group per parcel in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

CHUNK = 20_000  # pairs intersected per call (several calls spread over the threads)


@dataclass(frozen=True)
class Named:
    """For the parcels some line meets: their indices, their group's name and state road flag."""

    parcel: NDArray[np.int64]
    name: list[str | None]
    state_road: NDArray[np.bool_]


def _inside_lengths(
    lines: NDArray[np.object_], parcels: NDArray[np.object_], workers: int
) -> NDArray[np.float64]:
    """The length of each line inside its parcel, the pairs chunked over `workers` threads."""
    out = np.empty(len(lines))
    starts = range(0, len(lines), CHUNK)

    def one(k: int) -> None:
        sl = slice(k, k + CHUNK)
        out[sl] = shapely.length(shapely.intersection(lines[sl], parcels[sl]))

    if workers > 1 and len(starts) > 1:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(one, starts))
    else:
        for k in starts:
            one(k)
    return out


def longest_names(
    parcels: NDArray[np.object_],
    lines: NDArray[np.object_],
    names: Sequence[str | None],
    state_road: NDArray[np.bool_],
    workers: int = 1,
) -> Named:
    """Name each parcel after the group of same-named lines running longest inside it."""
    pi, li = shapely.STRtree(lines).query(parcels, predicate="intersects")
    if len(pi) == 0:
        return Named(np.zeros(0, np.int64), [], np.zeros(0, bool))
    named = np.fromiter((n is not None for n in names), bool, len(names))
    texts, code = np.unique(np.array([n or "" for n in names], dtype=object), return_inverse=True)
    code = np.where(named, code + 1, 0)  # 0: the unnamed group; others in code point order
    base = len(texts) + 1
    groups, group_of = np.unique(pi.astype(np.int64) * base + code[li], return_inverse=True)
    g_parcel, g_code = groups // base, groups % base
    # lengths decide only between names: a named line of a parcel that two names or more meet
    # (the unnamed group comes last whatever its length, and a lone name wins anyway)
    choice = (np.bincount(g_parcel[g_code > 0], minlength=len(parcels))[pi] > 1) & (code[li] > 0)
    length = np.zeros(len(pi))
    length[choice] = _inside_lengths(lines[li[choice]], parcels[pi[choice]], workers)
    total = np.bincount(group_of, weights=length, minlength=len(groups))
    state = np.bincount(group_of, weights=state_road[li], minlength=len(groups)) > 0
    order = np.lexsort((g_code, -total, g_code == 0, g_parcel))
    first = np.ones(len(order), bool)
    first[1:] = g_parcel[order][1:] != g_parcel[order][:-1]
    best = order[first]
    label = [None, *(str(t) for t in texts)]
    return Named(g_parcel[best], [label[c] for c in g_code[best].tolist()], state[best])
