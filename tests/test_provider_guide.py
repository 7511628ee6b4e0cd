"""docs/writing-a-provider.md against the code: the contract's members, the fields of `Wire` and `PlatformError`,
and the modules every provider (or the ones the guide names) has."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from emulator.errors import PlatformError
from emulator.providers import PROVIDER_PACKAGES
from emulator.providers.base import Provider, Wire

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "writing-a-provider.md").read_text()
PROVIDERS = ROOT / "emulator" / "providers"


def table_after(heading: str) -> list[str]:
    """The backticked names in the first column of the first table after ``heading``."""
    rest = GUIDE.split(heading, 1)[1]
    rows = re.search(r"^\|.*?\n\|---.*?\n((?:\|.*\n)+)", rest, re.M).group(1)
    return [name for row in rows.splitlines() for name in re.findall(r"`(\w+)", row.split("|")[1])]


def test_the_contract_table_lists_every_member_of_provider():
    members = {name for name in vars(Provider) if not name.startswith("_")}
    assert sorted(table_after("## The contract")) == sorted(members)


def test_the_wire_and_platform_error_tables_list_their_fields():
    assert sorted(table_after("## Framing")) == sorted(f.name for f in dataclasses.fields(Wire))
    assert sorted(table_after("## Errors")) == sorted(f.name for f in dataclasses.fields(PlatformError))


def test_every_provider_has_every_module_of_the_one_shape():
    modules = table_after("## One shape")
    assert "routes" in modules and "openapi" in modules
    missing = [f"{name}/{module}.py" for name in PROVIDER_PACKAGES for module in modules
               if not (PROVIDERS / name / f"{module}.py").is_file()]
    assert not missing, f"the guide says every provider has these: {missing}"


def test_the_roles_only_some_providers_have_are_where_the_guide_says():
    shared = re.findall(r"`(\w+)\.py` \([^)]*: ([\w,\s]+)\)", GUIDE.split("Roles that only some", 1)[1])
    assert [module for module, _ in shared] == ["lookup", "lifecycle"]
    for module, names in shared:
        said = sorted(name.strip().lower() for name in names.split(","))
        assert said == sorted(p for p in PROVIDER_PACKAGES if (PROVIDERS / p / f"{module}.py").is_file()), module
