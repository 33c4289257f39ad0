"""Open data: jarjesto's doors to service directories, grant data and civic data.

``EXPORTERS`` maps a format name (``hsds``, ``360giving``, ``popolo``) to an
:class:`Exporter`; its ``export(dataset, reference, *, year, scope)`` returns
the files to write as ``{relative path: bytes}`` plus warnings, and never
touches the file system (the CLI writes with ``files.atomic_write``).
``IMPORTERS`` maps a format name to a function from ``{file name: bytes}``
to the imported records, raising :class:`~jarjesto_core.errors.DatasetError`.
The mapping of each standard is in ``docs/opendata.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from jarjesto_core.opendata.common import (
    JARJESTO_NAMESPACE,
    Exporter,
    ExportResult,
    Filter,
    stable_uuid,
)
from jarjesto_core.opendata.giving360 import Giving360Exporter
from jarjesto_core.opendata.hsds import HsdsExporter, HsdsImport, import_hsds, merge_imported
from jarjesto_core.opendata.popolo import PopoloExporter

__all__ = [
    "EXPORTERS",
    "IMPORTERS",
    "JARJESTO_NAMESPACE",
    "ExportResult",
    "Exporter",
    "Filter",
    "Giving360Exporter",
    "HsdsExporter",
    "HsdsImport",
    "PopoloExporter",
    "import_hsds",
    "merge_imported",
    "stable_uuid",
]

EXPORTERS: Final[Mapping[str, Exporter]] = MappingProxyType(
    {
        "hsds": HsdsExporter(),
        "360giving": Giving360Exporter(),
        "popolo": PopoloExporter(),
    }
)

#: Each takes ``{file name: bytes}`` and, by keyword, ``service_kinds`` (the kinds known).
IMPORTERS: Final[Mapping[str, Callable[..., HsdsImport]]] = MappingProxyType({"hsds": import_hsds})
