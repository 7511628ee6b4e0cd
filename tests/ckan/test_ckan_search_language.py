"""package_search's text analysis (the Solr schema's field types) and Lucene syntax, through the real ckanapi client."""

from __future__ import annotations

import ckanapi
import pytest
from ckan_support import ADMIN, action, error_of
from ckanapi.errors import SearchError

from emulator.providers.ckan.search_query import tokens


@pytest.fixture
def shelf(emulator):
    """Three public datasets with words the English stemmer, the word splitter and the folding act on."""
    client = ckanapi.RemoteCKAN(emulator.url("ckan"), apikey=ADMIN)
    client.action.package_create(name="alpha", title="Running XMLHttpRequest services", owner_org="test-org",
                                 notes="Organizations and their statistics", author="Flooding Authors",
                                 tags=[{"name": "water"}], extras=[{"key": "topic", "value": "Flooded Rivers"}])
    client.action.package_create(name="beta", title="The river's Río Café news", owner_org="test-org",
                                 tags=[{"name": "transport"}])
    client.action.package_create(name="gamma", title="New roads", owner_org="test-org", tags=[{"name": "roads"}])
    return ckanapi.RemoteCKAN(emulator.url("ckan"))


def found(client: ckanapi.RemoteCKAN, **params) -> list[str]:
    return sorted(p["name"] for p in client.action.package_search(**params)["results"])


@pytest.mark.parametrize("text, field, expected", [
    # Snowball's English stemmer (2.x, as Solr 9 runs it): "ran" keeps its form, "news" is not "new".
    ("running runs ran news new", "text", ["run", "run", "ran", "news", "new"]),
    ("Organizations organ statistics statistical", "text", ["organ", "organ", "statist", "statist"]),
    # Word parts: case changes, letters/digits, other characters, a possessive 's; then folding after stemming.
    ("XMLHttpRequest iPhone CO2 wi-fi river's", "text", ["xmlhttp", "request", "i", "phone", "co", "2", "wi",
                                                          "fi", "river"]),
    ("Río Café 東京", "text", ["rio", "cafe", "東京"]),
    # text_general (author, maintainer, res_name...): split and lowercased, neither stemmed nor split on case.
    ("Flooding iPhone Río", "author", ["flooding", "iphone", "río"]),
])
def test_analysis_follows_the_schema_field_types(text, field, expected):
    assert tokens(text, field) == expected


@pytest.mark.parametrize("params, expected", [
    ({"q": "runs"}, ["alpha"]),  # dismax over the stemmed text field
    ({"q": "ran"}, []),
    ({"q": "organ"}, ["alpha"]),
    ({"q": "statistical"}, ["alpha"]),
    ({"q": "news"}, ["beta"]),  # not "New roads"
    ({"q": "title:request"}, ["alpha"]),  # split on the case change
    ({"q": "title:rio AND title:cafe"}, ["beta"]),  # folded
    ({"q": "title:river"}, ["beta"]),  # possessive dropped
    ({"q": "author:flooding"}, ["alpha"]),  # text_general: not stemmed
    ({"q": "author:flood"}, []),
    ({"q": "title:run*"}, ["alpha"]),  # a wildcard term is not stemmed, the index is
    ({"q": "title:running*"}, []),
    ({"q": "title:Rí?"}, ["beta"]),
    ({"q": "extras_topic:river"}, ["alpha"]),  # extras_* are text fields too
])
def test_stemmed_and_split_words_match_as_solr(shelf, params, expected):
    assert found(shelf, **params) == expected


def test_text_fields_facet_on_their_terms(shelf):
    facets = shelf.action.package_search(**{"facet.field": ["extras_topic", "author", "tags"]})["facets"]
    assert facets == {"extras_topic": {"flood": 1, "river": 1}, "author": {"authors": 1, "flooding": 1},
                      "tags": {"roads": 1, "transport": 1, "water": 1}}


@pytest.mark.parametrize("params, expected", [
    ({"q": "name:alpha OR name:beta"}, ["alpha", "beta"]),
    ({"q": "name:alpha || name:beta"}, ["alpha", "beta"]),
    # q.op=AND as Lucene applies it: OR makes its two neighbours optional, the unmarked third is required.
    ({"q": "name:alpha OR name:beta name:gamma"}, ["gamma"]),
    ({"q": "name:alpha OR name:beta AND name:gamma"}, []),  # AND makes beta required again: beta and gamma
    ({"q": "tags:(water OR roads) && !name:gamma"}, ["alpha"]),
    ({"q": "-name:alpha"}, ["beta", "gamma"]),
    ({"q": "name:alpha OR NOT name:beta"}, ["alpha"]),
    ({"q": "name:alpha^2 OR name:beta^0.5"}, ["alpha", "beta"]),  # boosts weigh scores only
    # CKAN wraps fq in "+capacity:public ... +state:(active)": beside those required clauses an OR's clauses
    # are optional, so they filter nothing (grouping them keeps them required).
    ({"fq": "tags:water OR tags:transport"}, ["alpha", "beta", "gamma"]),
    ({"fq": "tags:(water OR transport)"}, ["alpha", "beta"]),
    ({"fq": "name:[b TO *]"}, ["beta", "gamma"]),
    ({"fq": "name:{alpha TO gamma}"}, ["beta"]),
    ({"fq": r"title:river\'s"}, ["beta"]),
])
def test_lucene_clauses_as_solr_weighs_them(shelf, params, expected):
    assert found(shelf, **params) == expected


@pytest.mark.parametrize("key, query", [
    ("q", "AND name:alpha"), ("q", "name:alpha AND"), ("q", "name:alpha OR"), ("q", "name:a AND OR name:b"),
    ("q", "+-name:alpha"), ("q", "name:(unclosed"), ("q", "title:(a b"), ("q", 'title:"unclosed'),
    ("q", "name:[a TO"), ("q", "name:[a b]"), ("q", "name:alpha^"), ("q", "name:"), ("q", "name:alpha)"),
    ("fq", "name:(unclosed"), ("fq", "()"), ("fq", "name:alpha)"), ("fq", "tags:water AND OR tags:roads"),
])
def test_unparsable_queries_are_solrs_syntax_error(emulator, key, query):
    response = action(emulator.url("ckan"), "package_search", {key: query})
    assert response.status_code == 409
    error = error_of(response)
    assert error["__type"] == "Search Error"
    assert error["message"].startswith("Search error: ")
    assert "SOLR returned an error running query: {" in error["message"]
    assert "[Reason: org.apache.solr.search.SyntaxError: Cannot parse " in error["message"]
    with pytest.raises(SearchError):
        ckanapi.RemoteCKAN(emulator.url("ckan")).action.package_search(**{key: query})
