"""Load test of `kg serve`: throughput, latency and memory under concurrent clients.

Starts the real ``kg serve`` command on loopback (a free port, read-only),
then runs CLIENTS threads that each send REQUESTS requests (a new connection
each, as urllib does), cycling through a mix of saved-style queries in
different result formats, until done or until --max-seconds. Prints
throughput, latency percentiles, errors by status, and the resident memory
(VmRSS from /proc) of the server process and of its query workers at start,
after a warm-up, and at the end: the end figure should not keep growing
over the warm-up one.

Usage::

    python bench/bench_serve.py                          # builds seeds/ into a temp folder first
    python bench/bench_serve.py --store build/store --clients 8 --requests 200
    python bench/bench_serve.py --sources ../shared/corpus/dev --workers 2

Load generator and server share the machine: on a 2-CPU box the clients
take CPU from the workers, so the figures are a lower bound.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.serve.pages import EXAMPLES  # noqa: E402

#: (name, query, Accept, expected status)
MIX: list[tuple[str, str, str, int]] = [
    *[(f"example {i + 1}", q, accept, 200) for i, ((_, q), accept) in enumerate(zip(EXAMPLES, [
        "application/sparql-results+json", "text/csv", "application/sparql-results+xml",
        "text/tab-separated-values", "text/turtle", "application/sparql-results+json"]))],
    ("labels, ordered", "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label",
     "application/sparql-results+json", 200),
    ("agencies per state", """SELECT ?state (COUNT(DISTINCT ?a) AS ?agencies) WHERE {
        ?a kg:agencyOf ?state } GROUP BY ?state ORDER BY DESC(?agencies)""", "text/csv", 200),
    ("labels as N-Triples", "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a kg:State ; rdfs:label ?l }",
     "application/n-triples", 200),
    ("provenance of every fact", """SELECT ?s ?p ?o ?text WHERE {
        ?st a kg:ExtractedStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
            prov:wasDerivedFrom/kg:text ?text }""", "application/sparql-results+json", 200),
    ("malformed (400)", "SELECT ?s WHERE { ?s ?p }", "application/sparql-results+json", 400),
]
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def rss_kb(pid: int) -> int:
    """VmRSS of a process in KiB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (the query workers)."""
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


def memory(pid: int) -> tuple[int, int, int]:
    """(server KiB, workers KiB summed, number of workers)."""
    kids = children(pid)
    return rss_kb(pid), sum(rss_kb(k) for k in kids), len(kids)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def one_request(url: str, query: str, accept: str) -> tuple[int, float]:
    req = urllib.request.Request(url + "?query=" + urllib.parse.quote(query), headers={"Accept": accept})
    t = time.perf_counter()
    try:
        with _OPENER.open(req, timeout=30) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as err:
        err.read()
        status = err.code
    except OSError:
        status = -1
    return status, time.perf_counter() - t


def run_load(url: str, *, clients: int, requests: int, max_seconds: float,
             offset: int = 0) -> tuple[list[float], dict[str, int], int, float]:
    """Run the clients; return latencies (s), counts by outcome, unexpected results, wall time."""
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    unexpected = 0
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def client(n: int) -> None:
        nonlocal unexpected
        for i in range(requests):
            if time.monotonic() > deadline:
                return
            _, query, accept, expected = MIX[(n * 7 + i + offset) % len(MIX)]
            status, took = one_request(url, query, accept)
            with lock:
                latencies.append(took)
                outcomes[str(status)] = outcomes.get(str(status), 0) + 1
                if status != expected:
                    unexpected += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, outcomes, unexpected, time.perf_counter() - t0


def build_store(sources: str, out: Path) -> Path:
    print(f"building {sources} into {out} ...", flush=True)
    subprocess.run([sys.executable, "-m", "kg", "build", sources, "--out", str(out), "--no-view", "--no-validate"],
                   cwd=ROOT, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return out / "store"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="store folder to serve (default: build --sources into a temp folder)")
    parser.add_argument("--sources", default=str(ROOT / "seeds"), help="what to build when --store is not given")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--requests", type=int, default=200, help="requests per client")
    parser.add_argument("--warmup", type=int, default=25, help="requests per client before the measured run")
    parser.add_argument("--workers", type=int, default=0, help="kg serve --workers (0: its default)")
    parser.add_argument("--max-seconds", type=float, default=180.0, help="stop the measured run after this long")
    args = parser.parse_args()
    if not Path("/proc/self/status").exists():
        print("needs Linux /proc for the memory figures", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(args.store) if args.store else build_store(args.sources, Path(tmp) / "build")
        cmd = [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0", "--quiet",
               "--workers", str(args.workers), "--timeout", "10"]
        server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            line = server.stdout.readline()  # type: ignore[union-attr]
            match = re.search(r"SPARQL endpoint (\S+/sparql)", line)
            if not match:
                print("kg serve did not start:", line, server.stderr.read(), file=sys.stderr)  # type: ignore[union-attr]
                return 1
            url = match.group(1)
            mem_start = memory(server.pid)
            run_load(url, clients=args.clients, requests=args.warmup, max_seconds=args.max_seconds)
            mem_warm = memory(server.pid)
            latencies, outcomes, unexpected, wall = run_load(url, clients=args.clients, requests=args.requests,
                                                             max_seconds=args.max_seconds, offset=3)
            mem_end = memory(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()

    n = len(latencies)
    load1 = os.getloadavg()[0]
    print()
    print(f"kg serve load test: {args.clients} clients x {args.requests} requests, {len(MIX)} queries in the mix "
          f"({mem_start[2]} workers, {os.cpu_count()} CPUs, load average {load1:.1f})")
    print(f"store: {store}")
    print()
    print(f"{'requests':>10} {'seconds':>8} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} "
          f"{'max ms':>8} {'errors':>7}")
    print(f"{n:>10} {wall:>8.1f} {n / wall:>8.1f} {1000 * percentile(latencies, 50):>8.1f} "
          f"{1000 * percentile(latencies, 90):>8.1f} {1000 * percentile(latencies, 99):>8.1f} "
          f"{1000 * max(latencies, default=float('nan')):>8.1f} {unexpected:>7}")
    print(f"responses by status: {dict(sorted(outcomes.items()))} (the mix expects 400 for 1 query in {len(MIX)})")
    print()
    print(f"{'RSS (MiB)':<12} {'server':>8} {'workers':>8} {'total':>8}")
    for label, (srv, wrk, _k) in (("start", mem_start), ("warmed up", mem_warm), ("end", mem_end)):
        print(f"{label:<12} {srv / 1024:>8.1f} {wrk / 1024:>8.1f} {(srv + wrk) / 1024:>8.1f}")
    growth = (sum(mem_end[:2]) - sum(mem_warm[:2])) / 1024
    print(f"growth after warm-up: {growth:+.1f} MiB over {n} requests")
    return 0 if unexpected == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
