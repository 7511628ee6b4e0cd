"""Resource format guessing and normalisation (``if_empty_guess_format`` and ``clean_format``).

The table mirrors the canonical names, mimetypes and alternative spellings CKAN ships as its default
resource-format list: (canonical name, mimetype or None, alternatives).
"""

from __future__ import annotations

import mimetypes
from functools import cache
from urllib.parse import urlparse

_FORMATS: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ()),
    ("EXE", "application/x-msdownload", ()),
    ("DOC", "application/msword", ()),
    ("KML", "application/vnd.google-earth.kml+xml", ()),
    ("XLS", "application/vnd.ms-excel", ("Excel", "application/msexcel", "application/x-msexcel",
                                         "application/x-ms-excel", "application/x-excel",
                                         "application/x-dos_ms_excel", "application/xls", "application/x-xls")),
    ("WCS", "wcs", ()),
    ("JS", "application/x-javascript", ()),
    ("MDB", "application/x-msaccess", ()),
    ("NetCDF", "application/netcdf", ()),
    ("ArcGIS Map Service", "ArcGIS Map Service", ("arcgis map service",)),
    ("TSV", "text/tab-separated-values", ("text/tsv",)),
    ("WFS", None, ()),
    ("ArcGIS Online Map", "ArcGIS Online Map", ("web map application",)),
    ("Perl", "text/x-perl", ()),
    ("KMZ", "application/vnd.google-earth.kmz+xml", ("application/vnd.google-earth.kmz",)),
    ("OWL", "application/owl+xml", ()),
    ("N3", "application/x-n3", ()),
    ("ZIP", "application/zip", ("zip", "http://purl.org/NET/mediatypes/application/zip")),
    ("GZ", "application/gzip", ("application/x-gzip",)),
    ("QGIS", "application/x-qgis", ()),
    ("ODS", "application/vnd.oasis.opendocument.spreadsheet", ()),
    ("ODT", "application/vnd.oasis.opendocument.text", ()),
    ("JSON", "application/json", ()),
    ("BMP", "image/x-ms-bmp", ()),
    ("HTML", "text/html", ("htm", "http://purl.org/net/mediatypes/text/html")),
    ("RAR", "application/rar", ()),
    ("TIFF", "image/tiff", ()),
    ("ODB", "application/vnd.oasis.opendocument.database", ()),
    ("TXT", "text/plain", ()),
    ("DCR", "application/x-director", ()),
    ("ODF", "application/vnd.oasis.opendocument.formula", ()),
    ("ODG", "application/vnd.oasis.opendocument.graphics", ()),
    ("XML", "application/xml", ("text/xml", "http://purl.org/net/mediatypes/application/xml")),
    ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ()),
    ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ()),
    ("BIN", "application/octet-stream", ("bin",)),
    ("XSLT", "application/xslt+xml", ()),
    ("WMS", "WMS", ("wms",)),
    ("SVG", "image/svg+xml", ("svg",)),
    ("PPT", "application/vnd.ms-powerpoint", ()),
    ("ODP", "application/vnd.oasis.opendocument.presentation", ()),
    ("JPEG", "image/jpeg", ("jpeg", "jpg")),
    ("SPARQL", "application/sparql-results+xml", ()),
    ("GIF", "image/gif", ()),
    ("RDF", "application/rdf+xml", ("rdf/xml",)),
    ("E00", "application/x-e00", ()),
    ("PDF", "application/pdf", ()),
    ("CSV", "text/csv", ("text/comma-separated-values",)),
    ("ODC", "application/vnd.oasis.opendocument.chart", ()),
    ("Atom Feed", "application/atom+xml", ()),
    ("MrSID", "image/x-mrsid", ()),
    ("ArcGIS Map Preview", "ArcGIS Map Preview", ("arcgis map preview",)),
    ("XYZ", "chemical/x-xyz", ()),
    ("MOP", "chemical/x-mopac-input", ()),
    ("Esri REST", "Esri REST", ("arcgis_rest",)),
    ("dBase", "application/x-dbf", ("dbf",)),
    ("MXD", "application/x-mxd", ()),
    ("TAR", "application/x-tar", ()),
    ("PNG", "image/png", ()),
    ("RSS", "application/rss+xml", ()),
    ("GeoJSON", None, ()),
    ("SHP", None, ("esri shapefile",)),
)


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, mimetype, alternatives in _FORMATS:
        for item in (mimetype, name, *alternatives):
            if item:
                table[item.lower()] = name
    return table


def guess_format(url: str) -> str | None:
    """The extension of the mimetype ``mimetypes`` guesses from the URL, as CKAN does.

    Only the path of a URL with a scheme counts, so ``http://example.com`` guesses nothing (observed).
    """
    parsed = urlparse(url)
    mimetype, _ = mimetypes.guess_type(parsed.path if parsed.scheme else url)
    if not mimetype:
        return None
    extension = mimetypes.guess_extension(mimetype)
    return extension[1:] if extension else None


def clean_format(value: str) -> str:
    """The canonical format name for a known spelling; anything else unchanged."""
    return _lookup().get(value.lower(), value)
