"""`python -m bench` (`make bench`): measure the emulator beside what users would pick instead, print it, and
record it in BENCHMARKS.md.

Benchmarks print and record; they never fail on a number. Every server runs at once and is measured in
interleaved rounds, so the machine's drift hits all of them alike; ratios are medians of per-round ratios.
Knobs (environment): BENCH_QUICK=1 (a smaller run, about a third of the time), BENCH_ROUNDS, BENCH_SEQUENTIAL
(sequential creates per target and round), BENCH_SECONDS (8-connection seconds per target and round),
BENCH_SEEDED (records seeded for the memory comparison), BENCH_OUT (report file, default BENCHMARKS.md).
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import loadgen, memory, peers, sequential
from .report import write_report
from .targets import Target

QUICK = os.environ.get("BENCH_QUICK") == "1"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3 if QUICK else 5))
SEQUENTIAL = int(os.environ.get("BENCH_SEQUENTIAL", 300 if QUICK else 1000))
SECONDS = float(os.environ.get("BENCH_SECONDS", 1 if QUICK else 2))
SEEDED = int(os.environ.get("BENCH_SEEDED", 20_000 if QUICK else 100_000))
SEQUENCES = 50 if QUICK else 200  # per-test sequences per round
NAMESPACES = 500 if QUICK else 2000
REDIVIS_OWNER = 10_000  # datasets of one owner (the target is stated at 10,000)
COLD_RUNS = 3 if QUICK else 5
CONNECTIONS = 8
PROVIDERS = ["ckan", "apify", "redivis", "aitems", "qrvey"]


def log(message: str) -> None:
    print(message, flush=True)


def main() -> int:
    began = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="emulator-bench-"))
    report: dict = {"machine": machine(), "quick": QUICK, "rounds": ROUNDS, "count": SEQUENTIAL,
                    "seconds": SECONDS, "connections": CONNECTIONS, "sequences": SEQUENCES,
                    "load_before": os.getloadavg()}

    log("== starting every server (each launch also counts as a cold start)")
    lineup = [peers.emulator(False), peers.emulator(True), *peers.others()]
    running: dict[str, Target] = {}
    colds: dict[str, list[float]] = {}
    report["unavailable"] = {}
    for peer in lineup:
        try:
            running[peer.name] = peer.start(work / f"{peer.name}-0")
            colds[peer.name] = [running[peer.name].cold_s]
            log(f"  {peer.name:10} answered after {running[peer.name].cold_s:.2f} s")
        except peers.Unavailable as exc:
            report["unavailable"][peer.name] = str(exc)
            log(f"  {peer.name:10} not measured: {exc}")
    report["labels"] = {peer.name: peer.label for peer in lineup}

    log(f"== {ROUNDS} interleaved rounds: {SEQUENTIAL} sequential creates on one keep-alive connection, "
        f"{SEQUENCES} per-test sequences, {SECONDS:g} s of {CONNECTIONS} connections")
    emulators = [n for n in ("in-memory", "durable") if n in running]
    plan = [(n, p) for p in PROVIDERS for n in emulators]
    plan += [(peer.name, peer.scenario) for peer in lineup[2:] if peer.name in running]
    loaded = [(n, s) for n, s in plan if s in ("apify", "apify-peer", "moto-sqs", "ceiling")]
    seq: dict[str, list[dict]] = {f"{n} {s}": [] for n, s in plan}
    tests: dict[str, list[dict]] = {n: [] for n in emulators}
    rps: dict[str, list[float]] = {f"{n} {s}": [] for n, s in loaded}
    fsyncs: list[float] = []  # the disk is shared and drifts too: measured in every round
    for rnd in range(ROUNDS):
        tag = f"r{rnd}{secrets.token_hex(2)}"
        probes: list[float] = []
        for name, scenario in plan:
            if name == "durable":  # the disk right before the durable creates that pay for it
                probes += fsync_times(work, 20)
            seq[f"{name} {scenario}"].append(sequential.percentiles(
                sequential.creates(running[name], scenario, SEQUENTIAL, tag)))
        fsyncs.append(statistics.median(probes) if probes else float("nan"))
        for name in emulators:
            tests[name].append(sequential.percentiles(sequential.per_test(running[name], SEQUENCES, tag)))
        for name, scenario in loaded:
            target = running[name]
            result = loadgen.run(target.host, target.port, scenario, {"run": f"t{tag}"}, CONNECTIONS, SECONDS)
            rps[f"{name} {scenario}"].append(result.rps)
        log(f"  round {rnd + 1}: fsync {fsyncs[-1]:.2f}, " + ", ".join(f"{k} {v[-1]['p50']:.2f}" for k, v in seq.items()
                                               if "apify" in k or "moto" in k or "ceiling" in k) + " ms p50")
    report.update(sequential=seq, per_test=tests, rps=rps, fsync_ms=fsyncs)
    report["rss_mb"] = {name: target.rss_mb() for name, target in running.items()}
    for target in running.values():
        target.stop()

    report["memory"] = memory_section(work)
    report["fixture"] = fixture_costs()

    log(f"== cold starts: launch until the first create is answered ({COLD_RUNS} launches each)")
    for run in range(1, COLD_RUNS):
        for peer in lineup:
            if peer.name in colds:
                try:
                    target = peer.start(work / f"{peer.name}-{run}")
                except peers.Unavailable as exc:  # a launch that never answers is reported, not fatal
                    log(f"  {exc}")
                    continue
                colds[peer.name].append(target.cold_s)
                target.stop()
    report["cold_s"] = colds
    log("  " + ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in colds.items()))

    shutil.rmtree(work, ignore_errors=True)  # state files of 100k records
    report["load_after"] = os.getloadavg()
    report["elapsed_s"] = time.monotonic() - began
    path = Path(os.environ.get("BENCH_OUT", "BENCHMARKS.md"))
    write_report(path, report)
    log(f"== recorded in {path} ({report['elapsed_s']:.0f} s)")
    return 0


def memory_section(work: Path) -> dict:
    out: dict = {"seeded": SEEDED, "namespaces": NAMESPACES, "redivis_owner": REDIVIS_OWNER}
    log(f"== memory: {SEEDED:,} Apify datasets seeded through the control API vs. loaded from the state file")
    durable = peers.emulator(True)
    server = durable.start(work / "seeded")
    t0 = time.perf_counter()
    memory.seed(server, "apify", "datasets", memory.apify_datasets(server, SEEDED))
    out["seed_s"] = time.perf_counter() - t0
    out["rss_seeded_mb"] = server.rss_mb()
    server.stop()
    server = durable.start(work / "seeded")  # the same state file, loaded at start-up
    out["load_s"] = server.cold_s
    out["rss_loaded_mb"] = server.rss_mb()
    server.stop()
    log(f"  seeded {out['rss_seeded_mb']:.0f} MB ({out['seed_s']:.1f} s), loaded {out['rss_loaded_mb']:.0f} MB "
        f"({out['load_s']:.1f} s)")

    log(f"== memory: {NAMESPACES} namespaces that only read the world")
    server = peers.emulator(False).start(work / "namespaces")
    out["namespace_kb"] = memory.namespace_kb(server, NAMESPACES)
    server.stop()
    log(f"  {out['namespace_kb']:.1f} KB each")
    out["restart_namespace_kb"] = memory.restart_namespace_kb(durable, work, NAMESPACES)
    log(f"  after a durable restart: {out['restart_namespace_kb']:.1f} KB each")

    log(f"== Redivis creates with {REDIVIS_OWNER:,} datasets of one owner vs. none ({ROUNDS} rounds)")
    empty = peers.emulator(False).start(work / "redivis-empty")
    full = peers.emulator(False).start(work / "redivis-full")
    memory.seed(full, "redivis", "datasets", memory.redivis_datasets(full, REDIVIS_OWNER))
    memory.redivis_datasets(empty, 0)  # the same template create on both
    out["redivis"] = {"empty": [], "full": []}
    for rnd in range(ROUNDS):
        for key, target in (("empty", empty), ("full", full)):
            out["redivis"][key].append(sequential.percentiles(
                sequential.creates(target, "redivis", SEQUENTIAL, f"o{rnd}{secrets.token_hex(2)}")))
    empty.stop()
    full.stop()
    return out


def fixture_costs() -> dict:
    log("== fixture costs (in a fresh process)")
    out = subprocess.run([sys.executable, "-m", "bench.fixture_costs"], capture_output=True, text=True,
                         timeout=300)
    if out.returncode:  # record the failure and go on: a benchmark never fails on one section
        return {"error": (out.stderr.strip().splitlines() or ["exit " + str(out.returncode)])[-1]}
    costs = json.loads(out.stdout)
    log(f"  {costs}")
    return costs


def fsync_times(work: Path, count: int) -> list[float]:
    """Milliseconds of ``count`` fsyncs, each of one appended log line, as the store makes a group commit durable."""
    times = []
    with open(work / "fsync-probe.log", "ab") as fh:
        for n in range(count):
            fh.write(b'{"op": "insert", "n": %d, "padding": "%s"}\n' % (n, b"x" * 200))
            fh.flush()
            t0 = time.perf_counter()
            os.fsync(fh.fileno())
            times.append((time.perf_counter() - t0) * 1e3)
    return times


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
