"""Every value the spec marks ASSUMPTION, in one place, plus the provider's configurable settings."""

from __future__ import annotations

import string
from typing import Any

from ..rules import Rule, number, one_of, whole

API_PREFIX = "/devapi/v4"

# Bodies are read with emulator.jsontext: NaN and Infinity are malformed JSON to the Lambda's JSON.parse, as
# here. ASSUMPTION: a lone surrogate escape and a number beyond the double range are answered like them.

# Per-namespace settings (override through the `config` seed record).
#   authFailure: "gateway403" answers a missing/wrong x-api-key like API Gateway (403 {"message": "Forbidden"});
#                "envelope401" answers 401 with the Qrvey envelope, for clients that only parse errors[].
#   loadMode:    "reads"     -> LOADING until the loadAfterReads-th read after /load (1 = the next read);
#                "seconds"   -> LOADING until loadAfterSeconds have passed on the namespace clock;
#                "immediate" -> /load already answers with the final status.
AUTH_GATEWAY = "gateway403"
AUTH_ENVELOPE = "envelope401"
AUTH_MODES = (AUTH_GATEWAY, AUTH_ENVELOPE)
LOAD_READS, LOAD_SECONDS, LOAD_IMMEDIATE = "reads", "seconds", "immediate"
LOAD_MODES = (LOAD_READS, LOAD_SECONDS, LOAD_IMMEDIATE)
CONFIG_DEFAULTS = {
    "authFailure": AUTH_GATEWAY,
    "loadMode": LOAD_READS,
    "loadAfterReads": 1,
    "loadAfterSeconds": 5.0,
}


CONFIG_RULES: dict[str, Rule] = {
    "authFailure": one_of(*AUTH_MODES),
    "loadMode": one_of(*LOAD_MODES),
    "loadAfterReads": whole(1, 10**9),
    "loadAfterSeconds": number(0, 1e9),
}


def effective(config: dict[str, Any]) -> dict[str, Any]:
    """Settings as used: a value stored before the platform checked settings (an older state file) falls back
    to its default."""
    return {key: config[key] if usable(config.get(key)) else CONFIG_DEFAULTS[key]
            for key, (usable, _) in CONFIG_RULES.items()}

# Dataset statuses seen in the official sample's polling loop.
DRAFT, LOADING, LOADED, FAILED = "DRAFT", "LOADING", "LOADED", "FAILED"
STATUSES = (DRAFT, LOADING, LOADED, FAILED)

# IDs: datasets look like 9 x [a-z0-9] in newer instances; users/apps/columns are shortid-style.
DATASET_ID_ALPHABET = string.ascii_lowercase + string.digits
SHORTID_ALPHABET = string.ascii_letters + string.digits + "_-"
ID_LENGTH = 9

# Get All: undocumented default page size (the Rails client notes 10 for users/all).
DEFAULT_LIST_LIMIT = 10
# Filter types Get All accepts; "search" is the column QrveyDemoApp filters the name on.
FILTER_TYPES = ("CONTAINS", "EQUAL")
SEARCH_COLUMN = "search"

# The stack trace Qrvey's Lambda puts in errors[].stack; ours has one synthetic frame.
STACK_FRAME = "    at DatasetModel.save (/var/task/lib/datasetModel.js:1:1)"

# Body keys the server owns: ignored when a client sends them.
DATASET_OWNED_KEYS = frozenset({"datasetId", "appId", "userId", "status", "connectionId", "createDate",
                                "modifyDate"})
CONNECTION_OWNED_KEYS = frozenset({"connectorid", "connectionId", "appid", "appId", "userid", "userId",
                                   "failing"})
# Connection fields stored but never sent back.
CONNECTION_SECRET_KEYS = frozenset({"password"})

# Push API [CODE path; DOC body]: documentUpdateMethod is "insert" or "upsert" (upsert matches rows on the
# dataset's unique-id columns). ASSUMPTION: the answer is {"jobId": <UUID4>} (the doc: it "returns a JobID").
UPDATE_METHODS = ("insert", "upsert")
# ASSUMPTION: the column type a pushed JSON value gives a new column (the doc's only named type is NUMBER; the
# Push API connection doc speaks of "Object Array" columns). A null value gives no column until a value comes.
PUSHED_COLUMN_TYPES = {str: "STRING", int: "NUMBER", float: "NUMBER", bool: "BOOLEAN", dict: "OBJECT",
                       list: "OBJECT_ARRAY"}
PUSH_DATASET_MISMATCH = "ValidationError: datasetId does not match the dataset of the path"  # ASSUMPTION

# The Data Router's Post Data API [DOC partner-portal docs/guides/api-tutorials/posting-data-to-dataset.md]:
# POST {postdataurl}/postdata with the same body answers {"jobId": <a time-based UUID, e.g.
# "825ec7a0-1f48-11ee-9c29-5f7a08107b15">}; GET {postdataurl}/{jobId}/status answers {"statusJob": {jobId,
# status "Complete", approximatePercentComplete 100, runtime "0h 0m 11s"}, "jobCompletionStatistics": {...}}
# (key order and the statistics as in the doc's example). The doc's postdataurl is
# https://<host>/Prod/dataload (so is a public Rails client's): here it is <mount>/Prod/dataload.
DATA_ROUTER_PREFIX = "/Prod/dataload"
# ASSUMPTIONS: the Data Router takes the instance's API keys (a real instance issues a separate Data Router
# key); a job pushed through devapi's pushapi/data/post is read at the same status URL; a job runs for as long
# as a load does (loadMode), as "Running" with approximatePercentComplete 0 and no jobCompletionStatistics,
# and ends "Failed" (every row failed) when the dataset's connection is failing; an unknown job is a 404
# "Job not found", worded as for the other resources.
# Rows are always added (upsert matching on unique-id columns is not emulated: no source says how a dataset
# marks them), so the statistics count them as added and successful, none updated.
JOB_RUNNING, JOB_COMPLETE, JOB_FAILED = "Running", "Complete", "Failed"
JOB_STATUS_BY_LOAD = {LOADING: JOB_RUNNING, LOADED: JOB_COMPLETE, FAILED: JOB_FAILED}
JOB_HEALTH = {"concurrencyPutChunkToEs": 4}  # the doc example's value
