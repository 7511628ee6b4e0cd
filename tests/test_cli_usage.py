"""The command line as a user meets it: one-line errors with exit 2, --version, --help, the README's synopsis."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from emulator import __version__, cli

README = Path(__file__).resolve().parent.parent / "README.md"
COMMANDS = ("serve", "openapi", "export", "verify")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "emulator", *args], capture_output=True, text=True, timeout=30,
                          stdin=subprocess.DEVNULL)


# "no such host" cannot resolve and is refused by the resolver itself, so the test sends no DNS query.
@pytest.mark.parametrize(("flags", "error"), [
    (["--port", "99999"], "argument --port: '99999' is not a port number (0-65535)"),
    (["--port", "-5"], "argument --port: '-5' is not a port number (0-65535)"),
    (["--host", "no such host"], "argument --host: cannot resolve 'no such host': "),
    (["--host", "a..b"], "argument --host: 'a..b' is not a valid host name"),
    (["--threads", "0"], "argument --threads: '0' is not a whole number >= 1"),
    (["--journal-size", "-1"], "argument --journal-size: '-1' is not a whole number >= 0"),
    (["--freeze-time", "2026-01-01T00:00:00"], "argument --freeze-time: "),
])
def test_a_bad_serve_flag_is_one_line_and_exit_2(flags, error):
    result = run_cli("serve", "--port", "0", "--in-memory", *flags)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"dataset-emulator serve: error: {error}")
    assert result.stderr.endswith(" (see dataset-emulator serve --help)\n")


def test_an_unknown_flag_is_one_line_and_exit_2():
    result = run_cli("serve", "--bogus")
    assert result.returncode == 2
    assert result.stderr == "dataset-emulator: error: unrecognized arguments: --bogus (see dataset-emulator --help)\n"


def test_an_unforeseen_start_up_failure_is_one_line_and_exit_2(monkeypatch, capsys):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the disk caught fire")
    monkeypatch.setattr("emulator.app.create_app", broken)
    assert cli.main(["serve", "--port", "0", "--in-memory"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "dataset-emulator: error: unexpected RuntimeError: the disk caught fire\n"
    assert captured.out == ""


def test_version():
    result = run_cli("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"dataset-emulator {__version__}\n", "")


def help_entries(command: str) -> dict[str, str]:
    """Each option `command --help` lists, with its help text (argparse's layout: flags, then help)."""
    text = run_cli(*([command] if command else []), "--help").stdout
    entries: dict[str, str] = {}
    current = None
    for line in text.split("options:", 1)[1].splitlines():
        match = re.match(r"  (?:-\w, )?(--[a-z][a-z-]*)(?: \S+)?(?:\s{2,}(.*))?$", line)
        if match:
            current = match.group(1)
            entries[current] = match.group(2) or ""
        elif current and line.strip():
            entries[current] += " " + line.strip()
    return entries


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_a_line_for_every_flag_and_shows_defaults(command):
    entries = help_entries(command)
    assert entries, f"{command} --help lists no options"
    for flag, text in entries.items():
        assert text.strip(), f"{command} --help: {flag} has no help line"
    if command == "serve":
        assert "(default: 8080)" in entries["--port"]
        assert "(default: emulator-state.json)" in entries["--state"]
        assert "(default: 8)" in entries["--threads"]


def readme_synopsis() -> str:
    blocks = re.findall(r"```text\n(.*?)```", README.read_text(), flags=re.S)
    synopsis = [b for b in blocks if b.startswith("dataset-emulator serve [")]
    assert len(synopsis) == 1, "README.md needs one ```text block starting with the serve synopsis"
    return synopsis[0]


def synopsis_flags(command: str) -> set[str]:
    """Flags the README's synopsis shows for `dataset-emulator <command>` (a line and its indented continuations)."""
    chunks = re.split(r"\n(?=\S)", readme_synopsis())
    mine = [c for c in chunks if c.split()[0] == "dataset-emulator"
            and (c.split()[1] == command if command else c.split()[1].startswith("--"))]
    assert mine, f"the README's synopsis has no `dataset-emulator {command}` line"
    return set(re.findall(r"--[a-z][a-z-]*", "\n".join(mine)))


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_the_readme_synopsis_lists_every_flag_help_lists(command):
    missing = set(help_entries(command)) - {"--help"} - synopsis_flags(command)
    assert not missing, f"README's synopsis of `dataset-emulator {command}` lacks {sorted(missing)}"


def test_the_defaults_the_readme_states_are_the_ones_serve_help_states():
    stated = re.findall(r"`(--[a-z-]+)[^`]*`\s+\(default ([^)]+)\)", README.read_text())
    assert len(stated) >= 4
    entries = help_entries("serve")
    wrong = [(flag, value) for flag, value in stated if not re.search(rf"\(default: [^)]*\b{value}\)", entries[flag])]
    assert not wrong, f"README.md states defaults that serve --help does not: {wrong}"
