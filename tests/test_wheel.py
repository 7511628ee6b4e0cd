"""The wheel works where a user installs it: built from the sdist, installed (not editable) into a fresh venv in
a temporary folder outside the checkout, and used there: the CLI, the server, the dashboard, the pytest fixture.

Built once per test run (xdist workers share it through a lock). The tests send nothing beyond loopback: the
build uses this environment's setuptools (--no-isolation), and the fresh venv, which gets the wheel with
--no-deps, reaches the already installed dependencies through a .pth file; `pip check` proves the wheel's
declared requirements are met there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import ckanapi
import pytest
import redivis
import requests
from aitems.aitems_signer import AitemsClient, dataset_body
from apify_client import ApifyClient
from filelock import FileLock

from emulator import __version__

ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", ".nox", "build", "dist", "*.egg-info", "__pycache__",
                                    "emulator-state*")
USER_TEST = '''
import json
import urllib.request


def test_a_dataset_created_through_the_fixture(emulator):
    request = urllib.request.Request(
        emulator.url("ckan") + "/api/action/package_create", method="POST",
        data=json.dumps({"name": "from-the-wheel", "owner_org": "test-org"}).encode(),
        headers={"Authorization": "ckan-editor-token", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.load(answer)["success"] is True
    assert [p["name"] for p in emulator.state("ckan", "packages")] == ["from-the-wheel"]
'''


def run(*command: str | Path, cwd: Path, timeout: float = 120) -> str:
    """Run a command outside the checkout (`python -c` would import the checkout's package from its working
    folder), with bytecode written as a user's would be; return its output, fail with it."""
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=environment, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{result.stdout}"
    return result.stdout


def build_and_install(work: Path) -> dict[str, str]:
    source, dist, venv = work / "source", work / "dist", work / "venv"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    # sdist first, then the wheel from the unpacked sdist: a file missing from the sdist breaks the wheel too
    build_log = run(sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, source, cwd=work)
    twine_log = run(sys.executable, "-m", "twine", "check", "--strict", *sorted(dist.iterdir()), cwd=work)
    wheel = next(dist.glob("*.whl"))
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel,
        cwd=work)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=work).strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "test-environment.pth").write_text("".join(f"{path}\n" for path in sorted(ours)))
    return {"venv": str(venv), "wheel": str(wheel), "build_log": build_log, "twine_log": twine_log}


@pytest.fixture(scope="session")
def installed(tmp_path_factory, worker_id) -> dict[str, str]:
    # Under xdist the parent of the worker's folder is this run's own; without it, our folder is.
    shared = tmp_path_factory.getbasetemp().parent if worker_id != "master" else tmp_path_factory.getbasetemp()
    marker = shared / "wheel-env.json"
    with FileLock(shared / "wheel-env.lock"):
        if not marker.exists():
            marker.write_text(json.dumps(build_and_install(shared / "wheel-env")))
    return json.loads(marker.read_text())


def bin_of(installed: dict[str, str], name: str) -> Path:
    return Path(installed["venv"]) / "bin" / name


def test_the_build_is_clean_and_passes_twine_check(installed):
    warnings = [line for line in installed["build_log"].splitlines() if "warning" in line.lower()]
    assert not warnings, "\n".join(warnings)
    assert installed["twine_log"].count("PASSED") == 2


def test_the_wheel_carries_the_default_world_the_dashboard_and_the_entry_points(installed):
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = set(wheel.namelist())
        assert wheel.read("emulator/fixtures/default.json") == (ROOT / "fixtures" / "default.json").read_bytes()
        entry_points = wheel.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert {f"emulator/dashboard/static/{n}" for n in ("index.html", "dashboard.js", "dashboard.css")} <= names
    assert not [n for n in names if n.startswith("emulator/fixtures/") and n.endswith(".json")
                and not n.endswith("/default.json")], "only the default world is installed"
    assert "dataset-emulator = emulator.cli:main" in entry_points
    assert "dataset_emulator = emulator.pytest_plugin" in entry_points


def test_the_installed_package_is_the_wheel_and_its_requirements_are_met(installed, tmp_path):
    python = bin_of(installed, "python")
    location = run(python, "-c", "import emulator; print(emulator.__file__)", cwd=tmp_path).strip()
    assert Path(location).is_relative_to(installed["venv"])
    run(sys.executable, "-m", "pip", "--python", python, "check", cwd=tmp_path)


def test_version(installed, tmp_path):
    assert run(bin_of(installed, "dataset-emulator"), "--version", cwd=tmp_path) == f"dataset-emulator {__version__}\n"


def test_serve_answers_every_provider_and_the_dashboard(installed, tmp_path, monkeypatch):
    server = subprocess.Popen([bin_of(installed, "dataset-emulator"), "serve", "--port", "0", "--state",
                               tmp_path / "state.json"], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        line = server.stdout.readline()
        base = re.search(r"listening on (http://\S+)", line)
        assert base, f"{line!r} {server.stderr.read() if server.poll() is not None else ''}"
        base = base.group(1)

        ckan = ckanapi.RemoteCKAN(f"{base}/ckan", apikey="ckan-editor-token")
        assert ckan.action.package_create(name="wheel-ckan", owner_org="test-org")["name"] == "wheel-ckan"
        apify = ApifyClient("apify_api_demo_token", api_url=f"{base}/apify", api_public_url=f"{base}/apify")
        assert apify.datasets().get_or_create(name="wheel-apify").name == "wheel-apify"
        monkeypatch.setenv("REDIVIS_API_ENDPOINT", f"{base}/redivis/api/v1")
        monkeypatch.setenv("REDIVIS_API_TOKEN", "redivis-edit-token")
        assert redivis.user("demo_user").dataset("wheel redivis").create().properties["name"] == "wheel redivis"
        created = AitemsClient(f"{base}/aitems").post("/api/v1/datasets", json=dataset_body(name="wheel_items"))
        assert created.status_code == 201, created.text
        qrvey = requests.post(f"{base}/qrvey/devapi/v4/user/demoUser1/app/demoApp01/qollect/dataset/datasource",
                              headers={"x-api-key": "qrvey-demo-api-key"}, timeout=10,
                              json={"connectionId": "84b500d7-71c8-4b1f-adf4-f1eb0000973d", "database": "demo",
                                    "name": "wheel qrvey", "tableName": "airlines"})
        assert qrvey.status_code == 200 and qrvey.json()["name"] == "wheel qrvey", qrvey.text

        page = requests.get(f"{base}/_emulator/ui", timeout=10)
        assert page.status_code == 200 and "<title>" in page.text
        script = re.search(r'src="(static/dashboard\.js[^"]*)"', page.text).group(1)
        assert requests.get(urljoin(page.url, script), timeout=10).status_code == 200  # the package's static files
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_user_project_uses_the_emulator_fixture(installed, tmp_path):
    (tmp_path / "test_user.py").write_text(USER_TEST)
    output = run(bin_of(installed, "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=tmp_path)
    assert "1 passed" in output
