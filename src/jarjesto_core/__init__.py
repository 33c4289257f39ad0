"""jarjesto's domain core: the dataset, reference data, validation and assessment.

Pure Python with no I/O in the model and rules, and no import of click or
flask: the CLI and the web UI are thin layers over this package.

The public API is importable from here; names load on first use, so that
``import jarjesto_core`` stays light. Every user error (bad data, a bad file)
raises one exception type, :class:`DatasetError`, whose ``problems`` lists
every :class:`Problem` found, each naming its collection, index, record id and
field (or file, line and column). It is a :class:`JarjestoError`, the base of
all errors a user can fix::

    import jarjesto_core as j

    try:
        dataset = j.read_dataset("region.json")
    except j.DatasetError as exc:
        for problem in exc.problems:
            print(problem.render("fi"))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jarjesto_core.errors import DatasetError, JarjestoError, Problem
    from jarjesto_core.files import load_dataset, read_dataset, sample_dataset, write_dataset
    from jarjesto_core.model import (
        Agreement,
        Commitment,
        Coordinator,
        Dataset,
        Hearing,
        Name,
        Organisation,
        PartyRef,
        Responsibility,
        Service,
        Structure,
    )
    from jarjesto_core.reference import Reference, bundled_reference
    from jarjesto_core.validation import validate

#: Public name -> the module that defines it (alphabetical: merges stay easy).
_EXPORTS: dict[str, str] = {
    "Agreement": "jarjesto_core.model",
    "Commitment": "jarjesto_core.model",
    "Coordinator": "jarjesto_core.model",
    "Dataset": "jarjesto_core.model",
    "DatasetError": "jarjesto_core.errors",
    "Hearing": "jarjesto_core.model",
    "JarjestoError": "jarjesto_core.errors",
    "Name": "jarjesto_core.model",
    "Organisation": "jarjesto_core.model",
    "PartyRef": "jarjesto_core.model",
    "Problem": "jarjesto_core.errors",
    "Reference": "jarjesto_core.reference",
    "Responsibility": "jarjesto_core.model",
    "Service": "jarjesto_core.model",
    "Structure": "jarjesto_core.model",
    "bundled_reference": "jarjesto_core.reference",
    "load_dataset": "jarjesto_core.files",
    "read_dataset": "jarjesto_core.files",
    "sample_dataset": "jarjesto_core.files",
    "validate": "jarjesto_core.validation",
    "write_dataset": "jarjesto_core.files",
}

__all__ = [
    "Agreement",
    "Commitment",
    "Coordinator",
    "Dataset",
    "DatasetError",
    "Hearing",
    "JarjestoError",
    "Name",
    "Organisation",
    "PartyRef",
    "Problem",
    "Reference",
    "Responsibility",
    "Service",
    "Structure",
    "bundled_reference",
    "load_dataset",
    "read_dataset",
    "sample_dataset",
    "validate",
    "write_dataset",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'jarjesto_core' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
