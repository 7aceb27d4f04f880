"""Benchmark of `kg.viz.write_view`: build time and time-to-interactive in headless Chromium.

Generates graphs shaped like ours (kg.viz.synthetic: about 2.3 relations per
entity, twelve classes, every document fact with its provenance record), writes
each view, opens it from disk in Debian's Chromium with the network blocked and
measures the time until the page sets ``window.kgReady`` (it has drawn and
answers input), then one redraw and one zoom step.

Usage::

    python bench/bench_view.py                # 200, 1,000, 5,000, 20,000 entities
    python bench/bench_view.py 200 5000 --runs 3

Budgets (from the issue): 5,000 entities interactive within 4 s, 20,000 within
15 s or degraded. The 1-minute load average is printed: on a shared machine,
figures grow with it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.viz import write_view  # noqa: E402
from kg.viz.synthetic import synthetic_dataset  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
BUDGET = {5000: 4.0, 20000: 15.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[200, 1000, 5000, 20000])
    parser.add_argument("--runs", type=int, default=3, help="page loads per size (median reported)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in args.sizes:
            t0 = time.perf_counter()
            ds = synthetic_dataset(n, seed=1)
            gen = time.perf_counter() - t0
            out = Path(tmp) / f"view-{n}.html"
            stats = write_view(ds, out, title=f"bench {n}")
            size_mb = out.stat().st_size / 1e6
            loads, redraws, zooms, parts = [], [], [], []
            blocked: list[str] = []
            for _ in range(args.runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.route(
                    "**/*",
                    lambda r: r.continue_() if r.request.url.startswith("file:") else (blocked.append(r.request.url), r.abort()),
                )
                t = time.perf_counter()
                page.goto(out.as_uri(), wait_until="commit")
                page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
                loads.append(time.perf_counter() - t)
                timing = page.evaluate("window.kgTiming")
                parts.append((timing["network"] - timing["datasets"], timing["drawn"] - timing["network"]))
                t = time.perf_counter()
                page.evaluate("network.redraw()")
                page.evaluate("new Promise(r => requestAnimationFrame(() => r()))")
                redraws.append(time.perf_counter() - t)
                t = time.perf_counter()
                page.evaluate("network.moveTo({scale: network.getScale() * 2})")
                page.evaluate("new Promise(r => requestAnimationFrame(() => r()))")
                zooms.append(time.perf_counter() - t)
                page.close()
            rows.append(
                {
                    "n": n,
                    "nodes": stats.nodes,
                    "edges": stats.edges,
                    "quads": len(ds),
                    "gen": gen,
                    "build": stats.seconds,
                    "mb": size_mb,
                    "ready": statistics.median(loads),
                    "ready_max": max(loads),
                    "ctor": statistics.median(p[0] for p in parts) / 1000,
                    "draw": statistics.median(p[1] for p in parts) / 1000,
                    "redraw": statistics.median(redraws),
                    "zoom": statistics.median(zooms),
                    "degraded": stats.degraded,
                    "blocked": len(blocked),
                }
            )
            del ds
        browser.close()

    load = os.getloadavg()[0]
    print(f"\nkg view benchmark  (Chromium headless, {os.cpu_count()} cores, load average {load:.1f}, "
          f"median of {args.runs} loads)\n")
    head = (f"{'entities':>8} {'edges':>7} {'quads':>8} {'build s':>8} {'HTML MB':>8} {'ready s':>8} "
            f"{'(max)':>6} {'vis ctor':>8} {'1st draw':>8} {'redraw':>7} {'zoom':>6} {'budget':>7} {'degraded':>8} {'net req':>7}")
    print(head)
    print("-" * len(head))
    for r in rows:
        budget = BUDGET.get(r["n"])
        verdict = "" if budget is None else ("ok" if r["ready"] <= budget else "OVER")
        print(
            f"{r['nodes']:>8,} {r['edges']:>7,} {r['quads']:>8,} {r['build']:>8.2f} {r['mb']:>8.1f} "
            f"{r['ready']:>8.2f} {r['ready_max']:>6.2f} {r['ctor']:>8.2f} {r['draw']:>8.2f} "
            f"{r['redraw']:>7.2f} {r['zoom']:>6.2f} {(str(budget) + ' ' + verdict) if budget else '-':>7} "
            f"{str(r['degraded']):>8} {r['blocked']:>7}"
        )
    print("\nbuild = write_view (projection, layout, HTML); ready = navigation to window.kgReady;"
          "\nvis ctor / 1st draw = vis-network constructor and first frame (in-page, kgTiming);"
          "\nredraw / zoom = one full frame at the fitted view and after a 2x zoom; net req = blocked requests.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
