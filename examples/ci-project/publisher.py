"""A sample application: it publishes a report's rows to Apify and registers the report in a CKAN catalogue.

Like a deployed service, it reads where the services are, and its credentials, from the environment once,
at import.
"""

from __future__ import annotations

import os

import ckanapi
from apify_client import ApifyClient

CKAN_URL = os.environ["CKAN_URL"]
CKAN_API_KEY = os.environ["CKAN_API_KEY"]
APIFY_API_URL = os.environ["APIFY_API_URL"]
APIFY_TOKEN = os.environ["APIFY_TOKEN"]


def publish(name: str, rows: list[dict]) -> str:
    """Store the rows in an Apify dataset, register it in the catalogue; returns the catalogue id."""
    apify = ApifyClient(APIFY_TOKEN, api_url=APIFY_API_URL)
    dataset = apify.datasets().get_or_create(name=name)
    apify.dataset(dataset.id).push_items(rows)
    catalogue = ckanapi.RemoteCKAN(CKAN_URL, apikey=CKAN_API_KEY)
    package = catalogue.action.package_create(name=name, owner_org="reports",
                                              extras=[{"key": "apify_dataset", "value": dataset.id}])
    return package["id"]
