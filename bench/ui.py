"""UI timings in real headless Chromium against a running server (make run in another shell).

Usage: .venv/bin/python bench/ui.py [http://127.0.0.1:8000]
Prints the first map render time and the live-analysis round trip while drawing.
"""

from __future__ import annotations

import statistics
import sys

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        renders = []
        for _ in range(5):
            ctx = b.new_context(viewport={"width": 1280, "height": 860})
            pg = ctx.new_page()
            pg.goto(BASE + "/?lang=fi")
            pg.wait_for_selector("body[data-ready='1']")
            pg.wait_for_selector("path.leaflet-interactive")
            renders.append(pg.evaluate("performance.now()"))
            ctx.close()
        pg = b.new_page(viewport={"width": 1280, "height": 860})
        pg.goto(BASE + "/?lang=fi")
        pg.wait_for_selector("body[data-ready='1']")
        times = pg.evaluate("""async () => {
            const c = map.getCenter(); const out = [];
            for (let i = 0; i < 40; i++) {
              const d = 0.0004 + i * 0.00001;
              const site = {type: 'Polygon', coordinates: [[[c.lng - d, c.lat - d / 2], [c.lng + d, c.lat - d / 2],
                [c.lng + d, c.lat + d / 2], [c.lng - d, c.lat + d / 2], [c.lng - d, c.lat - d / 2]]]};
              const t = performance.now();
              await post('/api/v1/analysis/site', {site, buildings: []});
              out.push(performance.now() - t);
            }
            return out; }""")
        times.sort()
        print(
            f"first map render (page start to parcels drawn): median {statistics.median(renders):.0f} ms, max {max(renders):.0f} ms"
        )
        print(
            f"live analysis round trip in the page: p50 {times[len(times) // 2]:.1f} ms, p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms"
        )
        b.close()


if __name__ == "__main__":
    main()
