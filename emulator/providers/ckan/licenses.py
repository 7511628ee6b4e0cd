"""CKAN's default license register: id -> (title, url or None, open)."""

from __future__ import annotations

LICENSES: dict[str, tuple[str, str | None, bool]] = {
    "notspecified": ("License not specified", None, False),
    "odc-pddl": ("Open Data Commons Public Domain Dedication and License (PDDL)",
                 "http://www.opendefinition.org/licenses/odc-pddl", True),
    "odc-odbl": ("Open Data Commons Open Database License (ODbL)",
                 "http://www.opendefinition.org/licenses/odc-odbl", True),
    "odc-by": ("Open Data Commons Attribution License", "http://www.opendefinition.org/licenses/odc-by", True),
    "cc-zero": ("Creative Commons CCZero", "http://www.opendefinition.org/licenses/cc-zero", True),
    "cc-by": ("Creative Commons Attribution", "http://www.opendefinition.org/licenses/cc-by", True),
    "cc-by-sa": ("Creative Commons Attribution Share-Alike", "http://www.opendefinition.org/licenses/cc-by-sa", True),
    "gfdl": ("GNU Free Documentation License", "http://www.opendefinition.org/licenses/gfdl", True),
    "other-open": ("Other (Open)", None, True),
    "other-pd": ("Other (Public Domain)", None, True),
    "other-at": ("Other (Attribution)", None, True),
    "uk-ogl": ("UK Open Government Licence (OGL)",
               "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/", True),
    "cc-nc": ("Creative Commons Non-Commercial (Any)", "http://creativecommons.org/licenses/by-nc/2.0/", False),
    "other-nc": ("Other (Non-Commercial)", None, False),
    "other-closed": ("Other (Not Open)", None, False),
}


def license_fields(license_id: str | None) -> dict[str, object]:
    """``isopen``, ``license_id``, ``license_title`` and optional ``license_url`` as ``package_dictize`` derives
    them, in alphabetical order (they are consecutive keys of a dataset dict)."""
    if license_id is None:
        return {"isopen": False, "license_id": None, "license_title": None}
    known = LICENSES.get(license_id)
    if known is None:
        return {"isopen": False, "license_id": license_id, "license_title": license_id}
    title, url, is_open = known
    fields: dict[str, object] = {"isopen": is_open, "license_id": license_id, "license_title": title}
    if url:
        fields["license_url"] = url
    return fields
