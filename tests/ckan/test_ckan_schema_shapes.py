"""``schemas.load`` leaves out the fields a body does not carry; that must not change what a load returns."""

from __future__ import annotations

import pytest
from marshmallow import missing

from emulator.providers.ckan import schemas


@pytest.mark.parametrize("schema", [schemas.PackageSchema, schemas.UpdatePackageSchema])
def test_skipped_fields_load_an_absent_key_as_absent(schema):
    # No validation context is bound: a skipped field may not reach a validator (none may need it).
    fields = schema().fields
    assert schemas._SKIPPABLE[schema]
    for name in schemas._SKIPPABLE[schema]:
        assert fields[name].deserialize(missing, name, {}) is missing, name


@pytest.mark.parametrize("schema", [schemas.PackageSchema, schemas.UpdatePackageSchema])
def test_a_shape_declares_the_unskippable_fields_and_the_present_ones(schema):
    declared = list(schema().fields)
    shaped = schemas._schema_for(schema, frozenset({"tags", "notes"}))
    assert list(shaped.fields) == [n for n in declared if n in ("tags", "notes") or n not in schemas._SKIPPABLE[schema]]
    always = {"name", "title", "owner_org"} & set(shaped.fields)
    # Create always validates them; an update may leave them out (ignore_missing in CKAN's update schema).
    assert always == ({"name", "title", "owner_org"} if schema is schemas.PackageSchema else set())
