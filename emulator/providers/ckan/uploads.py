"""Resource file uploads (``ckan/lib/uploader.py`` ``ResourceUpload`` and ``munge_filename``).

The bytes live in the namespace's ``uploads`` collection (base64 text, keyed by resource id); CKAN's own
``ckan.max_resource_size`` bounds them, below the emulator's request-body cap.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import re
from typing import Any
from urllib.parse import urlparse

from emulator import context

from . import formats
from .errors import ValidationError
from .request_data import Upload

MB = 2**20
MAX_EXTENSION_LENGTH = 21
MIN_FILENAME_LENGTH = 3
MAX_FILENAME_LENGTH = 100
#: ``substitute_ascii_equivalents``: Latin-1 letters with an ASCII spelling; any other non-ASCII is dropped.
_ASCII = {
    **dict.fromkeys("ÀÁÂÃÄÅ", "A"), "Æ": "Ae", "Ç": "C", **dict.fromkeys("ÈÉÊË", "E"), **dict.fromkeys("ÌÍÎÏ", "I"),
    "Ð": "Th", "Ñ": "N", **dict.fromkeys("ÒÓÔÕÖØ", "O"), **dict.fromkeys("ÙÚÛÜ", "U"), "Ý": "Y", "Þ": "th",
    "ß": "ss", **dict.fromkeys("àáâãäå", "a"), "æ": "ae", "ç": "c", **dict.fromkeys("èéêë", "e"),
    **dict.fromkeys("ìíîï", "i"), "ð": "th", "ñ": "n", **dict.fromkeys("òóôõöø", "o"),
    **dict.fromkeys("ùúûü", "u"), "ý": "y", "þ": "th", "ÿ": "y",
}


def _to_length(text: str, shortest: int, longest: int) -> str:
    return text.ljust(shortest, "_")[:longest]


def munge_filename(filename: str) -> str:
    """Path dropped, lower case, ASCII letters, digits, ``_.-`` only, the extension kept."""
    filename = os.path.split(filename)[1].lower().strip()
    filename = "".join(_ASCII.get(c, c if ord(c) < 0x80 else "") for c in filename)
    filename = re.sub("-+", "-", re.sub("[^a-zA-Z0-9_. -]", "", filename).replace(" ", "-"))
    name, ext = os.path.splitext(filename)
    ext = ext[:MAX_EXTENSION_LENGTH]
    return _to_length(name, max(1, MIN_FILENAME_LENGTH - len(ext)), MAX_FILENAME_LENGTH - len(ext)) + ext


def _guess_by_extension() -> bool:
    return context.config().get("ckan.mimetype_guess") == "file_ext"


def guessed_mimetype(url: Any) -> str | None:
    """The uploader's guess from a resource's ``url`` (none for a URL without a path)."""
    if _guess_by_extension() and isinstance(url, str) and url and urlparse(url).path:
        return formats.guess_mimetype(url)
    return None


def take_upload(resource: dict[str, Any], now: str) -> Upload | None:
    """``ResourceUpload(resource)`` as ``package_update`` builds one per resource: pops ``upload`` and
    ``clear_upload``, points an uploaded resource at its file, and fills ``mimetype`` and ``size``."""
    upload = resource.pop("upload", None)
    clear = resource.pop("clear_upload", None)
    mimetype = guessed_mimetype(resource.get("url"))
    # A part without a file name is falsy in CKAN (``FileStorage.__bool__``); only multipart makes an Upload.
    file = upload if isinstance(upload, Upload) and upload.filename else None
    if file is not None:
        resource.update(url=munge_filename(file.filename), url_type="upload", last_modified=now)
        if not mimetype and _guess_by_extension():
            mimetype = mimetypes.guess_type(resource["url"])[0]
    elif clear:
        resource["url_type"] = ""
    if "mimetype" not in resource:
        resource["mimetype"] = mimetype
    if "url_type" in resource and file is not None:
        resource["size"] = len(file.content)
    return file


def check_size(file: Upload) -> None:
    """``_copy_file``: more than ``ckan.max_resource_size`` megabytes is refused (nothing is kept)."""
    limit = int(context.config().get("ckan.max_resource_size") or 0)
    if len(file.content) > limit * MB:
        raise ValidationError({"upload": ["File upload too large"]})


def store(resource_id: str, file: Upload) -> None:
    context.table("uploads").put({"id": resource_id,
                                  "content": base64.b64encode(file.content).decode("ascii")})


def content(resource_id: str) -> bytes | None:
    record = context.table("uploads").get(resource_id)
    return base64.b64decode(record["content"]) if record else None
