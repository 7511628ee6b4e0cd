"""Resource format guessing and normalisation (``if_empty_guess_format`` and ``clean_format``).

The table mirrors CKAN 2.11.5's default resource-format list, in its order: (canonical name, description,
mimetype or None, alternative spellings). Each of them, lower-cased, looks up the canonical name.
"""

from __future__ import annotations

import mimetypes
from functools import cache
from urllib.parse import urlparse

_FORMATS: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] = (
    ('ArcGIS Map Preview', 'ArcGIS Map Preview', 'ArcGIS Map Preview', ('arcgis map preview',)),
    ('ArcGIS Map Service', 'ArcGIS Map Service', 'ArcGIS Map Service', ('arcgis map service',)),
    ('ArcGIS Online Map', 'ArcGIS Online Map', 'ArcGIS Online Map', ('web map application',)),
    ('Atom Feed', 'Atom Feed', 'application/atom+xml', ()),
    ('BIN', 'Binary Data', 'application/octet-stream', ('bin',)),
    ('BMP', 'Bitmap Image File', 'image/x-ms-bmp', ()),
    ('CSV', 'Comma Separated Values File', 'text/csv', ('text/comma-separated-values',)),
    ('DCR', 'Adobe Shockwave format', 'application/x-director', ()),
    ('dBase', 'dBase Database', 'application/x-dbf', ('dbf',)),
    ('DOC', 'Word Document', 'application/msword', ()),
    ('DOCM', 'Word OOXML - Macro Enabled', 'application/vnd.ms-word.document.macroEnabled.12', ()),
    ('DOCX', 'Word OOXML Document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ()),
    ('DOTM', 'Word OOXML Template - Macro Enabled', 'application/vnd.ms-word.template.macroEnabled.12', ()),
    ('DOTX', 'Word OOXML - Template', 'application/vnd.openxmlformats-officedocument.wordprocessingml.template', ()),
    ('Esri REST', 'Esri Rest API Endpoint', 'Esri REST', ('arcgis_rest',)),
    ('EXE', 'Windows Executable Program', 'application/x-msdownload', ()),
    ('E00', ' ARC/INFO interchange file format', 'application/x-e00', ()),
    ('GeoJSON', 'Geographic JavaScript Object Notation', 'application/geo+json', ('geojson',)),
    ('GIF', 'GIF Image File', 'image/gif', ()),
    ('GTFS', 'General Transit Feed Specification', None, ()),
    ('GZ', 'Gzip File', 'application/gzip', ('application/x-gzip',)),
    ('HTML', 'Web Page', 'text/html', ('htm', 'http://purl.org/net/mediatypes/text/html')),
    ('ICS', 'iCalendar', 'text/calendar', ('ifb', 'iCal')),
    ('JPEG', 'JPG Image File', 'image/jpeg', ('jpeg', 'jpg')),
    ('JS', 'JavaScript', 'application/x-javascript', ()),
    ('JSON', 'JavaScript Object Notation', 'application/json', ()),
    ('KML', 'KML File', 'application/vnd.google-earth.kml+xml', ()),
    ('KMZ', 'KMZ File', 'application/vnd.google-earth.kmz+xml', ('application/vnd.google-earth.kmz',)),
    ('MDB', 'Access Database', 'application/x-msaccess', ()),
    ('MOP', 'MOPAC Input format', 'chemical/x-mopac-input', ()),
    ('MP3', 'MPEG-1 Audio Layer-3', 'audio/mpeg', ('audio/mpeg3', 'audio/x-mpeg-3', 'video/mpeg', 'video/x-mpeg')),
    ('MP4', 'MPEG Video File', 'video/mp4', ('application/mp4',)),
    ('MrSID', 'MrSID', 'image/x-mrsid', ()),
    ('MXD', 'ESRI ArcGIS project file', 'application/x-mxd', ()),
    ('NetCDF', 'NetCDF File', 'application/netcdf', ()),
    ('N3', 'N3 Triples', 'application/x-n3', ()),
    ('OGG', 'Ogg Vorbis Audio File', 'audio/ogg', ()),
    ('ODB', 'OpenDocument Database', 'application/vnd.oasis.opendocument.database', ()),
    ('ODC', 'OpenDocument Chart', 'application/vnd.oasis.opendocument.chart', ()),
    ('ODF', 'OpenDocument Math Formula', 'application/vnd.oasis.opendocument.formula', ()),
    ('ODG', 'OpenDocument Image', 'application/vnd.oasis.opendocument.graphics', ()),
    ('OWL', 'Web Ontology Language', 'application/owl+xml', ()),
    ('ODP', 'OpenDocument Presentation', 'application/vnd.oasis.opendocument.presentation', ()),
    ('ODS', 'OpenDocument Spreadsheet', 'application/vnd.oasis.opendocument.spreadsheet', ()),
    ('ODT', 'OpenDocument Text', 'application/vnd.oasis.opendocument.text', ()),
    ('PDF', 'PDF File', 'application/pdf', ()),
    ('Perl', 'Perl Script', 'text/x-perl', ()),
    ('PNG', 'PNG Image File', 'image/png', ()),
    ('POTM', 'PowerPoint Open XML -\xa0Macro-Enabled Template',
     'application/vnd.ms-powerpoint.template.macroEnabled.12', ()),
    ('POTX', 'PowerPoint OOXML Presentation - Template',
     'application/vnd.openxmlformats-officedocument.presentationml.template', ()),
    ('PPAM', 'PowerPoint Open XML -\xa0Macro-Enabled Add-In',
     'application/vnd.ms-powerpoint.addin.macroEnabled.12', ()),
    ('PPT', 'Powerpoint Presentation', 'application/vnd.ms-powerpoint', ()),
    ('PPTM', 'PowerPoint Open XML -\xa0Macro-Enabled',
     'application/vnd.ms-powerpoint.presentation.macroEnabled.12', ()),
    ('PPTX', 'Powerpoint OOXML Presentation',
     'application/vnd.openxmlformats-officedocument.presentationml.presentation', ()),
    ('PPSM', 'PowerPoint Open XML -\xa0Macro-Enabled Slide Show',
     'application/vnd.ms-powerpoint.slideshow.macroEnabled.12', ()),
    ('PPSX', 'PowerPoint Open XML - Slide Show',
     'application/vnd.openxmlformats-officedocument.presentationml.slideshow', ()),
    ('QGIS', 'QGIS File', 'application/x-qgis', ()),
    ('RAR', 'RAR Compressed File', 'application/rar', ()),
    ('RDF', 'RDF', 'application/rdf+xml', ('rdf/xml',)),
    ('RSS', 'RSS feed', 'application/rss+xml', ()),
    ('SHP', 'Shapefile', None, ('esri shapefile',)),
    ('SPARQL', 'SPARQL end-point', 'application/sparql-results+xml', ()),
    ('SVG', 'SVG vector image', 'image/svg+xml', ('svg',)),
    ('TAR', 'TAR Compressed File', 'application/x-tar', ()),
    ('TIFF', 'TIFF Image File', 'image/tiff', ()),
    ('TORRENT', 'Torrent', 'application/x-bittorrent', ('bittorrent',)),
    ('TSV', 'Tab Separated Values File', 'text/tab-separated-values', ('text/tsv',)),
    ('TXT', 'Text File', 'text/plain', ()),
    ('WAV', 'Wave file', 'audio/x-wav', ('audio/wav',)),
    ('WCS', 'Web Coverage Service', 'wcs', ()),
    ('WebM', 'WEBM video', 'video/webm', ()),
    ('WFS', 'Web Feature Service', None, ()),
    ('WMS', 'Web Mapping Service', 'WMS', ('wms',)),
    ('WMTS', 'Web Map Tile Service', None, ()),
    ('XLAM', 'Excel OOXML Spreadsheet - Macro-Enabled Add-In', 'application/vnd.ms-excel.addin.macroEnabled.12', ()),
    ('XLS', 'Excel Document',
     'application/vnd.ms-excel', ('Excel', 'application/msexcel', 'application/x-msexcel', 'application/x-ms-excel',
                                  'application/x-excel', 'application/x-dos_ms_excel', 'application/xls',
                                  'application/x-xls')),
    ('XLSB', 'Excel OOXML Spreadsheet - Binary Workbook', 'application/vnd.ms-excel.sheet.binary.macroEnabled.12', ()),
    ('XLSM', 'Excel OOXML Spreadsheet - Macro-Enabled', 'application/vnd.ms-excel.sheet.macroEnabled.12', ()),
    ('XLSX', 'Excel OOXML Spreadsheet', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ()),
    ('XLTM', 'Excel OOXML Spreadsheet - Macro-Enabled Template',
     'application/vnd.ms-excel.template.macroEnabled.12', ()),
    ('XLTX', 'Excel OOXML Spreadsheet - Template',
     'application/vnd.openxmlformats-officedocument.spreadsheetml.template', ()),
    ('XML', 'XML File', 'application/xml', ('text/xml', 'http://purl.org/net/mediatypes/application/xml')),
    ('XSLT', 'Extensible Stylesheet Language Transformations', 'application/xslt+xml', ()),
    ('XYZ', 'XYZ Chemical File', 'chemical/x-xyz', ()),
    ('ZIP', 'Zip File', 'application/zip', ('zip', 'http://purl.org/NET/mediatypes/application/zip')),
)


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, description, mimetype, alternatives in _FORMATS:
        for item in (mimetype, name, description, *alternatives):
            if item:
                table[item.lower()] = name
    return table


def guess_mimetype(url: str) -> str | None:
    """``if_empty_guess_format``: the mimetype ``mimetypes`` guesses from the URL (``clean_format`` then names it).

    A URL with a scheme but no path guesses nothing (``http://example.com``).
    """
    parsed = urlparse(url)
    if parsed.scheme and not parsed.path:
        return None
    return mimetypes.guess_type(url)[0]


def clean_format(value: str) -> str:
    """The canonical format name for a known spelling; anything else unchanged."""
    return _lookup().get(value.lower(), value)
