"""Everything else is in setup.cfg. This file only adds what setup.cfg cannot say next to package discovery:
the top-level ``fixtures/`` folder (the home of the seed worlds) is installed as ``emulator.fixtures``, so the
default world has one source, for the editable install and the wheel alike."""

from setuptools import find_namespace_packages, setup

setup(packages=[*find_namespace_packages(include=["emulator*"]), "emulator.fixtures"],
      package_dir={"emulator.fixtures": "fixtures"})
