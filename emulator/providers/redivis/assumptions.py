"""Every value the spec marks ASSUMPTION, in one place so each can change without a hunt.

Sourced facts (formats, enums, recorded key orders) live next to the code that uses them.
"""

from __future__ import annotations

# Create/update answer 200 (older docs said 201; the client accepts both).
CREATE_STATUS = 200

# Lists: page size when maxResults is absent.
DEFAULT_MAX_RESULTS = 100

# Organization lists filtered by ``labels=a,b`` keep datasets carrying any of the labels.
LABELS_MATCH_ANY = True

# Version tags: the first release is v1.0 (documented); later releases bump the minor number.
FIRST_RELEASE_TAG = (1, 0)

# Bodies are read with emulator.jsontext. ASSUMPTION: NaN, Infinity, a number beyond the double range and a
# lone surrogate escape are answered like any invalid JSON body (MSG_BAD_JSON).

# Error codes (the client only branches on ``insufficient_scope``).
CODE_INVALID_REQUEST = "invalid_request"
CODE_INVALID_TOKEN = "invalid_token"
CODE_FORBIDDEN = "forbidden"
CODE_INSUFFICIENT_SCOPE = "insufficient_scope"
CODE_NOT_FOUND = "not_found"
CODE_METHOD_NOT_ALLOWED = "method_not_allowed"
CODE_PAYLOAD_TOO_LARGE = "payload_too_large"
CODE_RATE_LIMITED = "rate_limit_exceeded"
CODE_INTERNAL = "internal_error"
CODE_UNAVAILABLE = "service_unavailable"

# Error descriptions.
MSG_INVALID_TOKEN = "Must provide a valid Authorization token"  # old-docs 401 string
MSG_FORBIDDEN = "Not authorized"  # old-docs 403 string
MSG_INSUFFICIENT_SCOPE = "Your access token must have the following scope: {scope}"
MSG_USER_NOT_FOUND = 'User "{name}" not found'
MSG_ORG_NOT_FOUND = 'Organization "{name}" not found'
MSG_DATASET_NOT_FOUND = 'Dataset "{reference}" not found'
MSG_VERSION_NOT_FOUND = 'Version "{tag}" not found'
MSG_ROUTE_NOT_FOUND = "Route {method} {path} not found"
MSG_METHOD_NOT_ALLOWED = "Method {method} is not allowed for {path}"
MSG_RATE_LIMITED = "Too many requests, please try again later."  # old-docs 429 string
RATE_LIMIT_RETRY_AFTER = "60"
MSG_BY_STATUS = {
    404: "Not found",
    405: "Method not allowed",
    413: "Request entity too large",
    429: MSG_RATE_LIMITED,
    500: "Internal server error",
    503: "Service unavailable",
}
CODE_BY_STATUS = {
    400: CODE_INVALID_REQUEST,
    401: CODE_INVALID_TOKEN,
    403: CODE_FORBIDDEN,
    404: CODE_NOT_FOUND,
    405: CODE_METHOD_NOT_ALLOWED,
    413: CODE_PAYLOAD_TOO_LARGE,
    429: CODE_RATE_LIMITED,
    500: CODE_INTERNAL,
    503: CODE_UNAVAILABLE,
}

# Validation (400 invalid_request), checked in this order.
MSG_BAD_JSON = "Request body must be valid JSON"
MSG_NAME = "name is required and must be a string"
MSG_NAME_EMPTY = "name must contain at least one letter or digit"
MSG_LEVEL = "publicAccessLevel must be one of: none, overview, metadata, sample, data"
MSG_DESCRIPTION = "description must be a string of at most 256 characters"
MSG_DUPLICATE = 'A dataset with the name "{name}" already exists'
MSG_MARKDOWN = "{field} must be a string"
MSG_STRING_LIST = "{field} must be a list of strings"
MSG_TAGS = "{field} must be a list of strings or of objects with a string name"
MSG_MAX_RESULTS = "maxResults must be a positive integer"
MSG_NEXT_EXISTS = "A next version already exists for this dataset"
MSG_NO_NEXT = "This dataset has no unreleased next version"
MSG_NO_CURRENT = "This dataset has no released version"
MSG_UNRELEASE_WITH_NEXT = "Cannot unrelease the current version while a next version exists"
MSG_RELEASE_NOTES = "releaseNotes must be a string"
