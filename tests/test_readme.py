"""Every ```python and ```sh block of README.md runs, twice in a row, against a fresh namespace of a real server.

The README's snippets address `make serve` at http://127.0.0.1:8080; here that base becomes the test's namespace
on the session's in-thread server (`.../_ns/<namespace>`). Each snippet runs as a user would run it: a Python
block in a new interpreter (a block defining `test_*` functions under pytest, with `--emulator-url`), a shell
block in bash with -e and pipefail. Other fences (```text, ```yaml) are for what cannot run here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from emulator.platform import default_world
from emulator.providers import all_providers

README = Path(__file__).resolve().parent.parent / "README.md"
FIXTURES = README.parent / "fixtures"
README_BASE = "http://127.0.0.1:8080"
RUNNABLE = {"python", "sh", "bash", "shell"}
NOT_RUN = {"text", "yaml", "json", "ini"}
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)
# In the README `emulator` is the pytest fixture; a loose block gets a handle on the test's namespace instead.
PREAMBLE = """from emulator.pytest_plugin import Emulator
emulator = Emulator({base!r}, {namespace!r}, {token!r})
"""


def blocks() -> list[tuple[str, str, int]]:
    text = README.read_text()
    return [(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(text)]


def runnable() -> list:
    return [pytest.param(lang, code, id=f"line{line}-{lang}") for lang, code, line in blocks() if lang in RUNNABLE]


def test_every_block_says_what_it_is():
    found = blocks()
    assert len(re.findall(r"^```", README.read_text(), re.M)) == 2 * len(found), "a fence is not closed"
    unlabelled = [line for lang, _, line in found if lang not in RUNNABLE | NOT_RUN]
    assert not unlabelled, f"README.md blocks at lines {unlabelled} need a language (python, sh, text, yaml)"
    assert sum(lang in RUNNABLE for lang, _, _ in found) >= 7


def run(command: list[str], cwd: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # the test extra's heavy plugins cost seconds per start
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


@pytest.mark.parametrize(("lang", "code"), runnable())
def test_readme_block_runs_twice(lang, code, emulator, tmp_path):
    code = code.replace(README_BASE, f"{emulator.base_url}/_ns/{emulator.namespace}")
    if lang != "python":
        command = ["bash", "-euo", "pipefail", "-c", code]
    elif re.search(r"^def test_", code, re.M):
        (tmp_path / "test_snippet.py").write_text(code)
        token = ["--emulator-token", emulator.token] if emulator.token else []
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "emulator.pytest_plugin",
                   "--emulator-url", emulator.base_url, *token, "test_snippet.py"]
    else:
        preamble = PREAMBLE.format(base=emulator.base_url, namespace=emulator.namespace, token=emulator.token)
        (tmp_path / "snippet.py").write_text(preamble + code)
        command = [sys.executable, "snippet.py"]
    for _ in range(2):
        run(command, tmp_path)


def provider_sections() -> dict[str, str]:
    """Each provider's part of "Providers and their default world", by its `### ... (`/<name>`)` heading."""
    found = re.findall(r"^### [^\n]*\(`/(\w+)`\)[^\n]*\n(.*?)(?=^##)", README.read_text(), re.M | re.S)
    return dict(found)


def strings(value) -> set[str]:
    """Every string anywhere in a JSON value."""
    if isinstance(value, dict | list):
        return set().union(*map(strings, value.values() if isinstance(value, dict) else value))
    return {value} if isinstance(value, str) else set()


def test_the_readme_has_a_section_for_every_provider_naming_all_its_settings():
    sections = provider_sections()
    assert sorted(sections) == sorted(p.name for p in all_providers())
    for provider in all_providers():
        unnamed = [key for key in provider.config_defaults if f"`{key}`" not in sections[provider.name]]
        assert not unnamed, f"README.md's {provider.name} section does not name the settings {unnamed}"


def test_the_credentials_and_names_the_readme_gives_are_in_the_worlds():
    """Every `value` of a "Default world:" or "Example world:" sentence (and CKAN's user table) is a value of
    that world's records: what a user copies from the README works."""
    for name, section in provider_sections().items():
        worlds = {"Default": strings(default_world()[name]),
                  "Example": strings(json.loads((FIXTURES / f"{name}.json").read_text())[name])}
        sentences = re.findall(r"(Default|Example)\s+world:(.*?)\.(?:\s|$)", section, re.S)
        table = re.findall(r"^\| (\w+) +\| `([^`]+)`", section, re.M)  # CKAN's users: name, token
        named = [(kind, value) for kind, text in sentences for value in re.findall(r"`([^`]+)`", text)
                 if "fixtures/" not in value]
        named += [("Default", value) for row in table for value in row]
        assert {kind for kind, _ in named} == set(worlds), f"README.md's {name} section lacks a world"
        missing = [(kind, value) for kind, value in named
                   if value not in worlds[kind] and not set(value.split()) <= worlds[kind]]  # scopes: `a b`
        assert not missing, f"README.md's {name} section names what its world lacks: {missing}"
