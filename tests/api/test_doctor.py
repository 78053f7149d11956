"""`rajapiste db doctor` and the session settings the service sets itself (issue 12)."""

from __future__ import annotations

from typing import Any

from api.services import doctor


def test_the_service_sets_its_session_settings_on_every_connection(engine: Any) -> None:
    with engine.connect() as conn:
        jit = conn.exec_driver_sql("SELECT current_setting('jit')").scalar_one()
        cost = conn.exec_driver_sql("SELECT current_setting('random_page_cost')").scalar_one()
    assert (jit, float(cost)) == ("off", 1.1)


def test_doctor_flags_what_slows_the_spatial_queries(engine: Any) -> None:
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE parcel")
        fine = {f.name: f for f in doctor.report(conn)}
        conn.exec_driver_sql("SET jit = on")
        conn.exec_driver_sql("SET random_page_cost = 4")
        slow = {f.name: f for f in doctor.report(conn)}
        conn.rollback()
    assert fine["jit"].ok and fine["random_page_cost"].ok
    assert not slow["jit"].ok and "jit" in slow["jit"].advice.lower()
    assert not slow["random_page_cost"].ok and "1.1" in slow["random_page_cost"].advice
    assert fine["table parcel"].ok and "rows" in fine["table parcel"].value
    assert {"shared_buffers", "work_mem", "effective_cache_size", "postgis"} <= set(fine)
