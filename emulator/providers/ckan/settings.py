"""Settings and fixed behaviour of the emulated CKAN 2.11.5 site, in one place.

Values marked ASSUMPTION in the spec live here so they can change without touching the logic.
"""

from __future__ import annotations

from datetime import timedelta

from ..rules import Rule, boolean, one_of, text, whole

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
    # CKAN's third value, file_contents (libmagic on the bytes), is not emulated; "none" guesses nothing.
    "ckan.mimetype_guess": one_of("file_ext", "none"),
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

# ---- package_search (ckan/lib/search/query.py, ckan/config/solr/schema.xml, config_declaration.yaml) ----------

#: ``ckan.search.rows_max``: a larger ``rows`` is lowered to it (``limit_to_configured_maximum``), not refused.
SEARCH_ROWS_MAX = 1000
#: ``search.facets.limit`` (facet values per field) and ``ckan.search.default_package_sort``.
SEARCH_FACETS_LIMIT = 50
SEARCH_DEFAULT_SORT = "score desc, metadata_modified desc"
#: The parameters CKAN lets through to Solr (``VALID_SOLR_PARAMETERS``); any other one is a Search Query Error.
VALID_SOLR_PARAMETERS = frozenset({"q", "fl", "fq", "rows", "sort", "start", "wt", "qf", "bf", "boost", "facet",
                                   "facet.mincount", "facet.limit", "facet.field", "extras", "fq_list", "tie",
                                   "defType", "mm", "df"})
#: ``ckan.search.solr_allowed_query_parsers`` (CKAN's default: none, so any ``{!...}`` local params are refused).
SOLR_ALLOWED_QUERY_PARSERS: tuple[str, ...] = ()
#: ``QUERY_FIELDS = "name^4 title^4 tags^2 groups^2 text"``: where plain words of ``q`` are looked for.
DISMAX_FIELDS = (("name", 4.0), ("title", 4.0), ("tags", 2.0), ("groups", 2.0), ("text", 1.0))
#: Fields of CKAN's Solr schema that are analysed text: type ``text`` (stemmed; so are ``extras_*`` and
#: ``res_extras_*``) and type ``text_general`` (split and lowercased only). Every other field, declared (``name``,
#: ``tags``, ``res_format``, ``organization``, ``capacity``...) or dynamic (``*``), is an exact string.
TEXT_FIELDS = frozenset({"title", "notes", "text", "urls", *RELATIONSHIP_TYPES})
TEXT_GENERAL_FIELDS = frozenset({"author", "author_email", "maintainer", "maintainer_email", "res_name",
                                 "res_description"})
# ASSUMPTION (SEARCH_TEXT): no Solr runs behind the emulator; search follows CKAN's query building exactly and
# Solr's behaviour simply. Analysis follows the schema's chains: ``text`` fields are split on whitespace, then into
# word parts (at other characters, letter/digit changes and lower-to-upper case changes, a possessive 's dropped),
# lowercased, stemmed by Snowball's English stemmer (the snowballstemmer package, Snowball 2.x as in Solr 9's
# Lucene) and ASCII-folded; ``text_general`` fields are split (not on case changes) and lowercased only. The
# protwords.txt and synonyms.txt that Solr's default configset ships hold no entries, and the schema names no stop
# words. Simplified: the index-side catenated parts (``wi-fi`` also indexed as ``wifi``) are not added, and letters
# with no decomposition (ß, æ, ø) are not folded. Plain-word ``q`` is dismax over DISMAX_FIELDS with CKAN's ``mm``
# and ``tie``; relevance is the best field weight per word plus 0.1 x the others (no tf-idf), so "score desc"
# orders by those weights, then by the next sort key. ``q`` with a ``:`` and every ``fq`` are Lucene syntax
# (``field:value``, quoted phrases, ``*``/``?`` wildcards (unstemmed on text fields), ``[a TO b]`` ranges,
# ``+``/``-``/``NOT``/``!``, ``AND``/``OR``/``&&``/``||`` and parentheses) whose clauses are weighed as Lucene's
# parser does with CKAN's ``q.op=AND``: ``OR`` makes its neighbours optional, and optional clauses are ignored
# beside required ones (so CKAN's own ``+capacity:public ... +state:(active)`` around an ``fq`` of ``a OR b``
# leaves a and b without effect). Boosts (``^2``) do not change what matches; fuzzy and proximity (``~``) and
# regular expressions (``/.../``) are not supported. A query the stand-in cannot parse is Solr's SyntaxError,
# which CKAN reports as a 409 Search Error. Sort direction words are accepted in any case; documents that tie on
# every sort key come in index order (oldest change first).
# Visibility follows CKAN's permission labels (ckan/lib/plugins.py), not package_search's docstring: with
# include_drafts a draft in an organization is found by every member of it (and its creator when unowned).
# ASSUMPTION: a member's ``last_active`` in organization_show/group_show is the seeded value (null by default);
# CKAN updates it on the user's requests, which the emulator does not track.
