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
PROVIDERS = ["ckan", "apify", "redivis", "aitems", "qrvey"]
BASE = "in-memory apify"  # every ratio is to the emulator's in-memory Apify create


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**not met**")


def _num(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def _per_round(a: list[float], b: list[float], op=lambda x, y: x / y) -> list[float]:
    return [op(x, y) for x, y in zip(a, b, strict=True)]


def _p50s(rounds: list[dict]) -> list[float]:
    return [r["p50"] for r in rounds]


def _spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def render(r: dict) -> str:
    m = r["machine"]
    seq, rps = r["sequential"], r["rps"]
    out = [START, "",
           f"Last run: {datetime.date.today().isoformat()}{' (quick mode)' if r['quick'] else ''}, {m['cpus']} CPUs "
           f"({m['cpu']}), Python {m['python']}, {m['system']}. {r['rounds']} interleaved rounds; each round: "
           f"{r['count']} sequential creates per target on one keep-alive connection, {r['sequences']} "
           f"per-test sequences per emulator, {r['seconds']:g} s of {r['connections']} connections per target. "
           f"Load average {r['load_before'][0]:.1f} before, {r['load_after'][0]:.1f} after. "
           f"Whole run: {r['elapsed_s']:.0f} s.", ""]
    for name, why in r["unavailable"].items():
        out.append(f"- **{r['labels'][name]}: not measured** ({why}).")
    out += ["", "### Side by side (ratios to the emulator in memory, Apify create)", "",
            "| target | p50 ms | p90 ms | p99 ms | p50 ratio (rounds) | 8-conn req/s | req/s ratio | "
            "cold start s | RSS MB |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    base = _p50s(seq[BASE])
    base_rps = rps.get(BASE)
    for key, rounds in seq.items():
        name, scenario = key.split(" ", 1)
        if scenario not in ("apify", "apify-peer", "moto-sqs", "ceiling"):
            continue
        ratios = _per_round(_p50s(rounds), base)
        tp = rps.get(key)
        tp_ratio = statistics.median(_per_round(tp, base_rps)) if tp and base_rps else None
        cold = r["cold_s"].get(name)
        out.append(f"| {r['labels'][name]} | {_num(statistics.median(_p50s(rounds)))} | "
                   f"{_num(statistics.median(x['p90'] for x in rounds))} | "
                   f"{_num(statistics.median(x['p99'] for x in rounds))} | "
                   f"{statistics.median(ratios):.2f} ({_spread(ratios)}) | "
                   f"{_num(statistics.median(tp), 0) if tp else ''} | {_num(tp_ratio)} | "
                   f"{_num(statistics.median(cold)) if cold else ''} | {_num(r['rss_mb'].get(name), 0)} |")
    out += ["", "p50/p90/p99: medians over the rounds of each round's percentile; a ratio is the median of the "
            "per-round ratios, the range in brackets its lowest and highest round. RSS after all rounds. "
            "moto answers SQS `CreateQueue`, the others an Apify create."]

    noise = base
    out += ["", f"**Noise**: the emulator's in-memory Apify p50 ranged {_spread(noise)} ms over the rounds "
            f"({(max(noise) / min(noise) - 1):.0%} between the fastest and slowest round); the per-round "
            "ratios in brackets show how much of that drift the pairing within a round cancelled.", ""]

    out += ["### Per provider, sequential create (one keep-alive connection)", "",
            "| provider | in memory p50 ms | durable p50 ms | vs Prism (target <= 1) | "
            "vs pytest-httpserver (target <= 1.2) | durable - in memory, ms (target <= fsync + 0.1) |",
            "| --- | ---: | ---: | --- | --- | --- |"]
    fsyncs = r["fsync_ms"]
    for provider in PROVIDERS:
        mem, dur = seq.get(f"in-memory {provider}"), seq.get(f"durable {provider}")
        if not mem:
            continue
        cells = []
        for peer, limit in (("prism", 1.0), ("httpserver", 1.2)):
            other = seq.get(f"{peer} apify-peer")
            if other:
                ratio = statistics.median(_per_round(_p50s(mem), _p50s(other)))
                cells.append(f"{ratio:.2f} ({_verdict(ratio <= limit)})")
            else:
                cells.append("n/a (peer not measured)")
        extra = ""
        if dur:  # per round: durable p50 - in-memory p50 - that round's fsync, against 0.1 ms
            deltas = _per_round(_p50s(dur), _p50s(mem), lambda x, y: x - y)
            over = statistics.median(_per_round(deltas, fsyncs, lambda d, f: d - f))
            extra = f"+{statistics.median(deltas):.2f}, fsync {over:+.2f} ({_verdict(over <= 0.1)})"
        out.append(f"| {provider} | {_num(statistics.median(_p50s(mem)))} | "
                   f"{_num(statistics.median(_p50s(dur))) if dur else 'n/a'} | {cells[0]} | {cells[1]} | {extra} |")
    out += ["", "One fsync of an appended log line on this disk (median of 20 taken right before each durable "
            f"run, 100 a round): {_spread(fsyncs)} ms "
            "over the rounds; the durable column is the median over rounds of (durable p50 - in-memory p50), and "
            "after `fsync` the median of that minus the same round's fsync.", ""]

    out += ["### The emulator's per-test sequence (Apify: create, push 10 items, list them, read the dataset)", "",
            "| mode | p50 ms | p90 ms | p99 ms |", "| --- | ---: | ---: | ---: |"]
    for name, rounds in r["per_test"].items():
        out.append(f"| {r['labels'][name]} | {_num(statistics.median(_p50s(rounds)))} | "
                   f"{_num(statistics.median(x['p90'] for x in rounds))} | "
                   f"{_num(statistics.median(x['p99'] for x in rounds))} |")

    mem = r["memory"]
    rss_ratio = mem["rss_seeded_mb"] / mem["rss_loaded_mb"]
    redivis = statistics.median(_per_round(_p50s(mem["redivis"]["full"]), _p50s(mem["redivis"]["empty"])))
    cold = {k: statistics.median(v) for k, v in r["cold_s"].items()}
    serve = cold.get("durable")
    moto = cold.get("moto")
    out += ["", "### Memory, scale and start-up", "",
            "| target | measured | verdict |", "| --- | --- | --- |",
            f"| RSS after seeding {mem['seeded']:,} Apify datasets through `POST /_emulator/seed` <= 1.2x RSS "
            f"after loading the same state from its file | {mem['rss_seeded_mb']:.0f} MB / {mem['rss_loaded_mb']:.0f}"
            f" MB = {rss_ratio:.2f}x | {_verdict(rss_ratio <= 1.2)} |",
            f"| a namespace that only reads the world <= 4 KB | {mem['namespace_kb']:.1f} KB each (RSS growth over "
            f"{mem['namespaces']:,} namespaces, one Apify list each) | {_verdict(mem['namespace_kb'] <= 4)} |",
            f"| the same after a durable restart | {mem['restart_namespace_kb']:.1f} KB each (RSS of a restart on a "
            f"state holding them, less one holding none) | {_verdict(mem['restart_namespace_kb'] <= 4)} |",
            f"| Redivis create p50 with {mem['redivis_owner']:,} datasets of one owner <= 1.3x p50 with none | "
            f"{statistics.median(_p50s(mem['redivis']['full'])):.2f} ms / "
            f"{statistics.median(_p50s(mem['redivis']['empty'])):.2f} ms = {redivis:.2f}x "
            f"(rounds {_spread(_per_round(_p50s(mem['redivis']['full']), _p50s(mem['redivis']['empty'])))}) | "
            f"{_verdict(redivis <= 1.3)} |",
            f"| `serve` cold start <= moto_server's | {_num(serve)} s vs {_num(moto)} s | "
            f"{_verdict(serve <= moto) if serve is not None and moto is not None else 'n/a'} |", "",
            f"Seeding took {mem['seed_s']:.1f} s; loading the file at start-up {mem['load_s']:.1f} s. "
            "Cold start, launch until the first create is answered (medians of "
            f"{len(next(iter(r['cold_s'].values())))} launches): "
            + "; ".join(f"{r['labels'][k]} {cold[k]:.2f} s ({', '.join(f'{x:.2f}' for x in v)})"
                        for k, v in r["cold_s"].items()) + ".", ""]

    fx = r["fixture"]
    if "error" in fx:
        out += ["### pytest fixture costs", "", f"Not measured: `{fx['error'][:200]}`", ""]
    else:
        out += ["### pytest fixture costs (medians; keep them as they are)", "",
                "| step | ms |", "| --- | ---: |",
                f"| in-thread server start, until it answers | {fx['start_ms']:.1f} |",
                f"| per-test namespace (handle + default world) | {fx['namespace_ms']:.3f} |",
                f"| stop | {fx['stop_ms']:.1f} |",
                f"| (once per process: importing the emulator) | {fx['imports_ms']:.0f} |", ""]
    out.append(END)
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
