"""Settings and fixed behaviour of the emulated CKAN 2.11.5 site, in one place.

Values marked ASSUMPTION in the spec live here so they can change without touching the logic.
"""

from __future__ import annotations

from datetime import timedelta

from ..rules import Rule, boolean, text, whole

#: Settings a namespace may override through its ``config`` record. The three auth options use CKAN's
#: names and 2.11 defaults; ``site_url`` empty means "the emulator's own base URL for CKAN" (ASSUMPTION).
CONFIG_DEFAULTS: dict[str, object] = {
    "ckan.auth.anon_create_dataset": False,
    "ckan.auth.create_unowned_dataset": False,
    "ckan.auth.create_dataset_if_not_in_organization": True,
    "site_url": "",
    # CKAN 2.11 reads the token from this header only (X-CKAN-API-Key is ignored unless configured).
    "apitoken_header_name": "Authorization",
    # How package_update guesses a resource's mimetype when the update does not give one (CKAN's default).
    "ckan.mimetype_guess": "file_ext",
    # Largest resource upload in megabytes (CKAN's default); the bytes are kept in the namespace's state.
    "ckan.max_resource_size": 10,
}
CONFIG_RULES: dict[str, Rule] = {
    "ckan.auth.anon_create_dataset": boolean(),
    "ckan.auth.create_unowned_dataset": boolean(),
    "ckan.auth.create_dataset_if_not_in_organization": boolean(),
    "site_url": text(),
    "apitoken_header_name": text(empty=False),
    "ckan.max_resource_size": whole(0, 1024),
}

#: CKAN sets metadata_created and metadata_modified from two separate utcnow() column defaults, so the
#: second is a few microseconds later; a fixed gap keeps frozen-clock runs byte-identical (ASSUMPTION).
MODIFIED_AFTER_CREATED = timedelta(microseconds=9)

# Bodies: NaN and Infinity are read as floats (Python's json) and stored as the validators turn them into text
# ("nan", "inf"; "NaN" in an extra's value); a lone surrogate escape is a 500 Internal Server Error and nothing
# is written (PostgreSQL refuses it) [observed on 2.11.5].

API_VERSION_IN_HELP = 3
NAME_MIN_LENGTH = 2
NAME_MAX_LENGTH = 100
TAG_MIN_LENGTH = 2
TAG_MAX_LENGTH = 100
VERSION_MAX_LENGTH = 100
RESERVED_NAMES = ("new", "edit", "search")

#: Permissions of organization/group capacities (``ckan/authz.py`` role table).
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"read", "delete_dataset", "create_dataset", "update_dataset", "manage_group",
                        "admin", "membership"}),
    "editor": frozenset({"read", "delete_dataset", "create_dataset", "update_dataset", "manage_group"}),
    "member": frozenset({"read", "manage_group"}),
}

RELATIONSHIP_TYPES = ["depends_on", "dependency_of", "derives_from", "has_derivation",
                      "links_to", "linked_from", "child_of", "parent_of"]

#: ``status_show`` of the emulated site (the oracle's 2.11.5 with only the activity plugin); ``site_url`` is added.
STATUS: dict[str, object] = {"site_title": "CKAN", "site_description": "", "site_url": None, "error_emails_to": None,
                             "locale_default": "en", "extensions": ["activity"], "ckan_version": "2.11.5"}
