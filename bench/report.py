"""The results block of BENCHMARKS.md; the hand-written text around its markers is kept."""

from __future__ import annotations

import datetime
import math
import statistics
from pathlib import Path

START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"

HEADER = """# Benchmarks

`make bench` runs `python -m bench` and rewrites the results block below; the text outside it is kept.
Benchmarks print and record; they never fail on a number.

"""


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("meets" if ok else "**misses**")


def _num(value: float, digits: int = 0) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.{digits}f}"


def _ratio(s: dict, base: dict | None) -> float | None:
    """The median of the per-round ratios: every round measures each target once, so drift of the machine
    between rounds (up to 2x here) cancels out of a pair, where a ratio of two medians would keep it."""
    if not base:
        return None
    runs, base_runs = s["runs"], base["runs"]
    if not runs or len(runs) != len(base_runs) or not all(base_runs):
        return s["rps"] / base["rps"]
    return statistics.median(a / b for a, b in zip(runs, base_runs, strict=True))


def render(r: dict) -> str:
    m = r["machine"]
    out = [START, "",
           f"Last run: {datetime.date.today().isoformat()}, {m['cpus']} CPUs ({m['cpu']}), Python {m['python']}, "
           f"{m['system']}. Load: {r['connections']} keep-alive connections, each from its own process, over "
           f"loopback; {r['runs']} interleaved runs of {r['seconds']:g} s per target after a 0.5 s warm-up; "
           "medians of the runs; ratios are medians of the per-round ratios. "
           f"Whole run: {r['elapsed_s']:.0f} s.", ""]
    tp = r["throughput"]
    ceiling = tp.get("ceiling")
    moto = tp.get("moto-sqs")
    out += ["## 1-2, 4. Create throughput (durable mode) against the ceiling and moto_server", "",
            "| target | req/s (median) | runs | p50 ms | p99 ms | vs ceiling (target >= 60%) | "
            "vs moto (target >= 3x) | errors |",
            "| --- | ---: | --- | ---: | ---: | --- | --- | ---: |"]
    for scenario, s in tp.items():
        is_create = scenario not in ("ceiling", "moto-sqs")
        to_ceiling, to_moto = _ratio(s, ceiling), _ratio(s, moto)
        vs_ceiling = f"{to_ceiling:.0%} ({_verdict(to_ceiling >= 0.6)})" if is_create and to_ceiling else ""
        vs_moto = f"{to_moto:.2f}x ({_verdict(to_moto >= 3)})" if is_create and to_moto else ""
        label = {"ceiling": "ceiling: trivial Flask endpoint, same waitress set-up",
                 "moto-sqs": "moto_server SQS CreateQueue"}.get(scenario, f"emulator {scenario} create")
        out.append(f"| {label} | {_num(s['rps'])} | {s['runs']} | {_num(s['p50'], 2)} | {_num(s['p99'], 2)} | "
                   f"{vs_ceiling} | {vs_moto} | {s['errors']} |")
    for provider, why in r.get("unavailable", {}).items():
        out.append(f"| emulator {provider} create | not yet available: `{why[:80]}` | | | | | | |")
    if moto is None:
        out.append("| moto_server | not installed or failing: peer not measured | | | | | | |")
    out += ["", f"Emulator RSS after these runs: {_num(r['emulator_rss_mb'])} MB.", ""]
    if r.get("in_memory"):
        out += ["The same creates on an emulator without a state file (the pytest fixture's mode: no log, no "
                "fsync), measured in the same rounds:", "",
                "| target | req/s (median) | runs | p50 ms | p99 ms | vs ceiling | vs moto | errors |",
                "| --- | ---: | --- | ---: | ---: | --- | --- | ---: |"]
        for scenario, s in r["in_memory"].items():
            to_ceiling, to_moto = _ratio(s, ceiling), _ratio(s, moto)
            vs_ceiling = f"{to_ceiling:.0%}" if to_ceiling else ""
            vs_moto = f"{to_moto:.2f}x" if to_moto else ""
            out.append(f"| emulator {scenario} create, in memory | {_num(s['rps'])} | {s['runs']} | "
                       f"{_num(s['p50'], 2)} | {_num(s['p99'], 2)} | {vs_ceiling} | {vs_moto} | {s['errors']} |")
        out.append("")

    sc = r["scaling"]
    ratio = sc["preloaded"]["p50"] / sc["empty"]["p50"]
    out += ["## 3. Scaling: Apify create with many datasets stored", "",
            "| store | req/s | p50 ms | p99 ms |", "| --- | ---: | ---: | ---: |",
            f"| empty | {_num(sc['empty']['rps'])} | {_num(sc['empty']['p50'], 2)} | {_num(sc['empty']['p99'], 2)} |",
            f"| {r['preload']:,} preloaded | {_num(sc['preloaded']['rps'])} | {_num(sc['preloaded']['p50'], 2)} | "
            f"{_num(sc['preloaded']['p99'], 2)} |", "",
            f"- p50 ratio preloaded / empty: **{ratio:.2f}** (target <= 1.3: {_verdict(ratio <= 1.3)})",
            f"- RSS with {r['preload']:,} datasets: {_num(sc['rss_mb_loaded'])} MB after start-up, "
            f"{_num(sc['rss_mb'])} MB after the runs ({sc['stored']:,} datasets) "
            f"(target < 300 MB: {_verdict(max(sc['rss_mb_loaded'], sc['rss_mb']) < 300)}); "
            f"the empty server: {_num(sc['rss_mb_empty'])} MB",
            f"- start-up of the server on the {r['preload']:,}-dataset file: {sc['startup_s']:.2f} s", ""]

    fx = r["fixture"]
    if "error" in fx:
        out += ["## 5. pytest fixture costs", "", f"Not measured: `{fx['error'][:200]}`", ""]
    else:
        out += ["## 5. pytest fixture costs (medians)", "",
                "| step | ms | target |", "| --- | ---: | --- |",
                f"| in-thread server start, until it answers | {fx['start_ms']:.1f} | < 20 "
                f"({_verdict(fx['start_ms'] < 20)}) |",
                f"| per-test namespace (handle + default world) | {fx['namespace_ms']:.3f} | < 1 "
                f"({_verdict(fx['namespace_ms'] < 1)}) |",
                f"| stop | {fx['stop_ms']:.1f} | < 20 ({_verdict(fx['stop_ms'] < 20)}) |",
                f"| (once per process: importing the emulator) | {fx['imports_ms']:.0f} | |", ""]
    out += ["## 6. Cold start", "",
            f"`dataset-emulator serve` until `/_emulator/health` answers: median **{r['cold_start_s']:.3f} s** "
            f"of {', '.join(f'{c:.3f}' for c in r['cold_start_runs'])} (target < 0.5 s: "
            f"{_verdict(r['cold_start_s'] < 0.5)}).", "", END]
    return "\n".join(out)


def write_report(path: Path, report: dict) -> None:
    text = path.read_text() if path.exists() else HEADER + START + "\n" + END + "\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + render(report) + tail
    else:
        text = text.rstrip() + "\n\n" + render(report) + "\n"
    path.write_text(text)
