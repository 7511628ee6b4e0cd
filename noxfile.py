"""The dependency matrix (`make matrix`): the whole suite on the lowest and on the newest versions that
setup.cfg's ``install_requires`` allows.

``lowest`` pins every ``name>=X`` of ``install_requires`` to ``name==X`` (a pip constraints file made from
setup.cfg, so the bounds there are exactly what this session proves); the test tools and any dependency
of a dependency resolve to the newest that fits. ``newest`` installs into a fresh environment, so pip
takes the newest release of everything.
"""

from __future__ import annotations

import configparser
from pathlib import Path

import nox
from packaging.requirements import Requirement

nox.options.sessions = ["lowest", "newest"]
nox.options.reuse_existing_virtualenvs = False  # "newest" means newest today, not when .nox was made

ROOT = Path(__file__).parent


def lowest_pins() -> list[str]:
    """``name==X`` for each ``name>=X`` in setup.cfg's ``install_requires``."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    pins = []
    for line in config["options"]["install_requires"].splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        lower = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if len(lower) != 1:
            raise ValueError(f"setup.cfg: {line!r} needs exactly one '>=' lower bound for the matrix")
        pins.append(f"{requirement.name}=={lower[0]}")
    return pins


def run_suite(session: nox.Session) -> None:
    session.run("python", "-m", "pip", "list", "--format=freeze")  # what this run proved, in its log
    session.run("python", "-m", "pytest", "-n", "2", "-q", *session.posargs)


@nox.session
def lowest(session: nox.Session) -> None:
    constraints = Path(session.create_tmp()) / "lowest.txt"
    constraints.write_text("\n".join(lowest_pins()) + "\n")
    session.install("--constraint", str(constraints), "-e", ".[test]")
    run_suite(session)


@nox.session
def newest(session: nox.Session) -> None:
    session.install("--upgrade", "-e", ".[test]")
    run_suite(session)
