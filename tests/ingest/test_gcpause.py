"""The bulk work's collector pause: off inside, restored by the last block to end."""

from __future__ import annotations

import gc
import importlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from api import gcpause
from api.gcpause import SERVICE_THRESHOLDS, gc_paused, service_collector
from api.ingest import derive, owners, services
from api.ingest.demo import loader
from api.services import relations
from geo.siteplan import PLAN_KINDS


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    gcpause._depth = 0  # a failed test leaves no block open for the next
    if not was:
        gc.disable()


def test_the_collector_is_paused_inside_and_back_after() -> None:
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_and_concurrent_blocks_keep_it_paused_until_the_last_ends() -> None:
    inside = threading.Event()
    leave = threading.Event()

    def other() -> None:
        with gc_paused():
            inside.set()
            leave.wait(10)

    t = threading.Thread(target=other)
    with gc_paused():
        t.start()
        assert inside.wait(10)
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block ended; this one and the thread's remain
    assert not gc.isenabled()  # the thread's block still runs
    leave.set()
    t.join(10)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_an_error_inside_still_restores_it() -> None:
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


class _Stop(Exception):
    pass


def _probe(seen: list[bool]) -> Callable[..., Any]:
    def probe(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        raise _Stop

    return probe


class _Cursor:
    def __init__(self, seen: list[bool]) -> None:
        self.execute = _probe(seen)


class _Groups:
    def __init__(self, seen: list[bool]) -> None:
        self.seen = seen

    def __iter__(self) -> Iterator[Any]:
        self.seen.append(gc.isenabled())
        raise _Stop


@pytest.mark.parametrize("module", ["areas", "buildings", "parcels", "roads", "water"])
def test_every_file_import_runs_paused(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    mod = importlib.import_module(f"api.ingest.{module}")
    monkeypatch.setattr(mod, "read_features", _probe(seen))
    importer = getattr(mod, f"import_{module}")
    options = {"areas": {"kind": PLAN_KINDS[0]}, "water": {"layer": "lakes"}}.get(module, {})
    with pytest.raises(_Stop):
        importer(None, Path("x.gpkg"), **options)
    assert seen == [False]
    assert gc.isenabled()


def test_the_load_and_the_relation_build_run_paused() -> None:
    seen: list[bool] = []
    with pytest.raises(_Stop):
        loader.load(None, 10, progress=_probe(seen))  # type: ignore[arg-type]
    with pytest.raises(_Stop):
        derive.rebuild_relations(_Cursor(seen), [(0.0, 0.0, 1.0, 1.0)], _probe(seen))
    with pytest.raises(_Stop):
        relations.tile_relations(relations.TileWork(_Groups(seen), {}))  # type: ignore[arg-type]
    assert seen == [False, False, False]
    assert gc.isenabled()


def test_the_owner_and_service_imports_run_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(owners, "_reader", _probe(seen))
    with pytest.raises(_Stop):
        owners.import_owners(None, Path("owners.csv"))  # type: ignore[arg-type]
    monkeypatch.setattr(services, "fetch", _probe(seen))
    with pytest.raises(_Stop):
        services.import_from_service(owners.import_owners, None, "https://example.invalid/wfs")  # type: ignore[arg-type]
    assert seen == [False, False]
    assert gc.isenabled()


def test_the_service_collector_is_put_back_as_it_was() -> None:
    before = gc.get_threshold()
    with service_collector():
        assert gc.get_threshold() == SERVICE_THRESHOLDS
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
