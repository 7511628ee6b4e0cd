"""`python -m bench` (`make bench`): run every measurement, print it, and record it in BENCHMARKS.md.

Benchmarks print and record; they never fail on a number. Knobs (environment): BENCH_SECONDS (measured
seconds per run, default 2), BENCH_RUNS (runs per target, median taken, default 5), BENCH_PRELOAD
(datasets stored before the scaling run, default 100000), BENCH_OUT (report file, default BENCHMARKS.md).
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from . import loadgen, targets
from .report import write_report
from .scenarios import builder

SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PRELOAD = int(os.environ.get("BENCH_PRELOAD", "100000"))
CONNECTIONS = 8
PROVIDERS = ["ckan", "apify", "redivis", "aitems", "qrvey"]


def log(message: str) -> None:
    print(message, flush=True)


def probe(target: targets.Target, scenario: str) -> str | None:
    """None when one create through ``scenario`` answers 2xx; otherwise why not."""
    conn = loadgen._Connection(target.host, target.port)
    try:
        status, body = conn.request(builder(scenario, {"run": "probe"}, 0)(0))
    except OSError as exc:
        return repr(exc)
    finally:
        conn.close()
    return None if 200 <= status < 300 else f"{status} {body[:120].decode(errors='replace')}"


def measure(target: targets.Target, scenario: str, run: str) -> loadgen.Result:
    result = loadgen.run(target.host, target.port, scenario, {"run": run}, CONNECTIONS, SECONDS)
    note = f"  {result.errors} errors, first: {result.first_error}" if result.errors else ""
    log(f"  {target.name:9} {scenario:9} {result.rps:8.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
        f"p99 {result.p99_ms:6.2f} ms{note}")
    return result


def summary(results: list[loadgen.Result]) -> dict:
    return {"rps": statistics.median(r.rps for r in results), "p50": statistics.median(r.p50_ms for r in results),
            "p99": statistics.median(r.p99_ms for r in results), "runs": [round(r.rps) for r in results],
            "errors": sum(r.errors for r in results),
            "first_error": next((r.first_error for r in results if r.first_error), "")}


def main() -> int:
    began = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="emulator-bench-"))
    report: dict = {"machine": machine(), "seconds": SECONDS, "runs": RUNS, "connections": CONNECTIONS,
                    "preload": PRELOAD}

    log("== throughput: creates per provider (durable, and in memory), the ceiling, moto_server")
    emulator = targets.emulator(work / "throughput.json")
    # The pytest fixture's mode (no state file): what the durable log costs, and what users of the fixture get.
    in_memory = targets.emulator(None)
    in_memory.name = "in-memory"
    ceiling = targets.ceiling()
    moto = targets.moto()
    available, unavailable = [], {}
    for provider in PROVIDERS:
        why = probe(emulator, provider)
        if why is None:
            available.append(provider)
        else:
            unavailable[provider] = why
            log(f"  {provider}: not yet available ({why})")
    if moto is not None and (why := probe(moto, "moto-sqs")) is not None:
        log(f"  moto: CreateQueue failed ({why})")
        moto.stop()
        moto = None
    plan = [(ceiling, "ceiling"), *((emulator, p) for p in available)] + ([(moto, "moto-sqs")] if moto else [])
    plan += [(in_memory, p) for p in available]
    raw: dict[tuple[str, str], list[loadgen.Result]] = {(t.name, scenario): [] for t, scenario in plan}
    for run in range(RUNS):  # interleaved, so drift on the machine hits every target alike
        for target, scenario in plan:
            raw[target.name, scenario].append(measure(target, scenario, f"t{run}{secrets.token_hex(2)}"))
    report["throughput"] = {scenario: summary(results) for (name, scenario), results in raw.items()
                            if name != "in-memory"}
    report["in_memory"] = {scenario: summary(results) for (name, scenario), results in raw.items()
                           if name == "in-memory"}
    report["unavailable"] = unavailable
    report["emulator_rss_mb"] = emulator.rss_mb()
    for target in (emulator, in_memory, ceiling, moto):
        if target:
            target.stop()

    log(f"== scaling: Apify creates with {PRELOAD} datasets stored vs. an empty store")
    preloaded_state = work / "preloaded.json"
    t0 = time.perf_counter()
    targets.preload_apify(preloaded_state, PRELOAD)
    log(f"  wrote a state file of {PRELOAD} datasets ({preloaded_state.stat().st_size / 1e6:.0f} MB) "
        f"in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    full = targets.emulator(preloaded_state)
    full.name = "preloaded"
    load_seconds = time.perf_counter() - t0
    empty = targets.emulator(work / "empty.json")
    empty.name = "empty"
    rss_before = full.rss_mb()
    scaling: dict[str, list[loadgen.Result]] = {"empty": [], "preloaded": []}
    for run in range(RUNS):
        for target in (empty, full):
            scaling[target.name].append(measure(target, "apify", f"s{run}{secrets.token_hex(2)}"))
    stored = len(json.loads(urllib.request.urlopen(f"{full.url}/_emulator/state/apify/datasets",
                                                   timeout=60).read()))
    report["scaling"] = {name: summary(results) for name, results in scaling.items()}
    report["scaling"]["startup_s"] = load_seconds
    report["scaling"]["rss_mb_loaded"] = rss_before
    report["scaling"]["rss_mb"] = full.rss_mb()
    report["scaling"]["rss_mb_empty"] = empty.rss_mb()
    report["scaling"]["stored"] = stored
    full.stop()
    empty.stop()

    log("== fixture costs (in a fresh process)")
    out = subprocess.run([sys.executable, "-m", "bench.fixture_costs"], capture_output=True, text=True,
                         timeout=300)
    if out.returncode:  # record the failure and go on: a benchmark never fails on one section
        report["fixture"] = {"error": (out.stderr.strip().splitlines() or ["exit " + str(out.returncode)])[-1]}
    else:
        report["fixture"] = json.loads(out.stdout)
    log(f"  {report['fixture']}")

    log("== cold start of `dataset-emulator serve` until /_emulator/health answers")
    colds = []
    for n in range(5):
        state_dir = work / f"cold{n}"
        state_dir.mkdir()
        colds.append(targets.cold_start(state_dir))
    report["cold_start_s"] = statistics.median(colds)
    report["cold_start_runs"] = colds
    log(f"  median {report['cold_start_s']:.3f} s of {[round(c, 3) for c in colds]}")

    report["elapsed_s"] = time.monotonic() - began
    path = Path(os.environ.get("BENCH_OUT", "BENCHMARKS.md"))
    write_report(path, report)
    log(f"== recorded in {path} ({report['elapsed_s']:.0f} s)")
    return 0


def machine() -> dict:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}


if __name__ == "__main__":
    sys.exit(main())
