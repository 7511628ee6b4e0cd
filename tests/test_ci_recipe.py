"""The README's CI jobs, run as written (on another port) with the sample project in examples/ci-project.

The YAML is read from README.md itself, so the recipe a reader copies is the one this test runs. Only the
`pip install` lines are left out: this environment already has the package and the clients installed.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
README_PORT = "8080"

BROKEN_TEST = '''
import publisher

def test_publishing_the_same_report_twice(emulator):
    publisher.publish("weekly-sales", [{"week": 1}])
    publisher.publish("weekly-sales", [{"week": 2}])  # the catalogue refuses a second package of that name
'''


class Step(NamedTuple):
    script: str
    env: dict[str, str]
    when: str  # "success": only while nothing failed; "failure": only after a failure; "always"


def readme_jobs() -> dict[str, dict]:
    """The YAML blocks of the README's "In CI" section: the GitHub Actions workflow and the GitLab CI job."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## In CI\n", 1)[1].split("\n## ", 1)[0]
    blocks = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", section, re.S)]
    return {"github": next(b for b in blocks if "jobs" in b), "gitlab": next(b for b in blocks if "jobs" not in b)}


def github_steps(workflow: dict) -> list[Step]:
    [job] = workflow["jobs"].values()
    return [Step(step["run"], step.get("env", {}), "failure" if step.get("if") == "failure()" else "success")
            for step in job["steps"] if "run" in step]


def gitlab_steps(config: dict) -> list[Step]:
    [job] = config.values()
    variables = job.get("variables", {})
    return [Step("\n".join(job["script"]), variables, "success"),
            Step("\n".join(job["after_script"]), variables, "always")]


def without_installs(script: str) -> str:
    return "\n".join(line for line in script.splitlines() if not line.strip().startswith("pip install"))


def free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


class Run(NamedTuple):
    codes: list[int | None]  # None: the step did not run
    output: str


def run_recipe(steps: list[Step], project: Path) -> Run:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "EMULATOR_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # dataset-emulator, pytest
    env["PYTEST_ADDOPTS"] = "-p no:schemathesis -p no:hypothesispytest"  # plugins of this suite, slow to load
    codes: list[int | None] = []
    output, groups, failed = [], [], False
    try:
        for number, step in enumerate(steps):
            script = without_installs(step.script).replace(README_PORT, port)
            if not script.strip() or (step.when == "success" and failed) or (step.when == "failure" and not failed):
                codes.append(None)
                continue
            log = project / f".step-{number}.out"
            with log.open("w") as out:  # a file, not a pipe: the server started in the background keeps it
                proc = subprocess.Popen(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                                        cwd=project, env={**env, **step.env}, stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True)
                groups.append(proc.pid)  # the server started in the background stays in this process group
                codes.append(proc.wait(timeout=300))
            output.append(log.read_text())
            failed = failed or codes[-1] != 0
    finally:
        for group in groups:
            try:
                os.killpg(group, signal.SIGTERM)
            except ProcessLookupError:
                pass
        wait_until_closed(int(port))
    return Run(codes, "\n".join(output))


def wait_until_closed(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.05)


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "ci-project"
    shutil.copytree(ROOT / "examples" / "ci-project", target)
    return target


def test_the_github_actions_job_passes_with_the_sample_project(project):
    run = run_recipe(github_steps(readme_jobs()["github"]), project)

    assert run.codes == [None, 0, 0, None], run.output  # install (done here already), start, tests; no log
    assert re.search(r"\b2 passed\b", run.output), run.output
    assert 'tests="2"' in (project / "report.xml").read_text()
    log = (project / "emulator.log").read_text()  # the access log: one line per request
    assert re.search(r"Z publisher ckan\.package_create POST /ckan/api/action/package_create 200 [\d.]+ms", log)
    assert re.search(r"Z publisher apify\.dataset\.items\.push POST /apify/v2/datasets/\w+/items 201 ", log), log


def test_the_gitlab_job_shows_a_failing_test_with_its_journal(project):
    (project / "tests" / "test_broken.py").write_text(BROKEN_TEST)
    run = run_recipe(gitlab_steps(readme_jobs()["gitlab"]), project)

    assert run.codes[0] != 0 and run.codes[1] == 0, run.output
    assert re.search(r"\b1 failed, 2 passed\b", run.output), run.output
    journal = re.compile(r"#\d+ POST /ckan/api/action/package_create -> 409 ckan\.package_create: .*already in use")
    assert "emulator journal: namespace publisher" in run.output and journal.search(run.output), run.output
    assert journal.search((project / "report.xml").read_text().replace("&gt;", ">"))
    assert re.search(r" publisher ckan\.package_create POST /ckan/api/action/package_create 409 ", run.output)


def test_the_readme_ini_is_the_sample_project_s():
    readme = (ROOT / "README.md").read_text()
    [block] = re.findall(r"```ini\n(.*?)```", readme, re.S)
    shown, sample = configparser.ConfigParser(), configparser.ConfigParser()
    shown.read_string(block)
    sample.read(ROOT / "examples" / "ci-project" / "pytest.ini")
    assert dict(shown["pytest"]).items() <= dict(sample["pytest"]).items()
