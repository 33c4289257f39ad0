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
    from jarjesto_core.assessment import Assessment, SubjectResult, assess
    from jarjesto_core.continuity import Interruption, grant_history, interruptions
    from jarjesto_core.errors import DatasetError, JarjestoError, PluginError, Problem
    from jarjesto_core.files import load_dataset, read_dataset, sample_dataset, write_dataset
    from jarjesto_core.hookspecs import hookimpl, hookspec
    from jarjesto_core.model import (
        Agreement,
        Commitment,
        Coordinator,
        Dataset,
        Funder,
        Hearing,
        JointAuthority,
        Name,
        Organisation,
        PartyRef,
        Responsibility,
        Service,
        Structure,
    )
    from jarjesto_core.plugins import ENTRY_POINT_GROUP, get_plugin_manager, plugin_info
    from jarjesto_core.reference import Reference, bundled_reference
    from jarjesto_core.registry import Registry, build_registry
    from jarjesto_core.reports.base import ReportFormat
    from jarjesto_core.resolver import FundingRow, FundingStatus, resolve
    from jarjesto_core.rules.base import Context, Finding, Rule, Status, Verdict
    from jarjesto_core.validation import validate

#: Public name -> the module (under ``jarjesto_core``) that defines it.
_EXPORTS: dict[str, str] = {
    "Agreement": "model",
    "Assessment": "assessment",
    "Commitment": "model",
    "Context": "rules.base",
    "Coordinator": "model",
    "Dataset": "model",
    "DatasetError": "errors",
    "ENTRY_POINT_GROUP": "plugins",
    "Finding": "rules.base",
    "Funder": "model",
    "FundingRow": "resolver",
    "FundingStatus": "resolver",
    "Hearing": "model",
    "Interruption": "continuity",
    "JointAuthority": "model",
    "JarjestoError": "errors",
    "Name": "model",
    "Organisation": "model",
    "PartyRef": "model",
    "PluginError": "errors",
    "Problem": "errors",
    "Reference": "reference",
    "Registry": "registry",
    "ReportFormat": "reports.base",
    "Responsibility": "model",
    "Rule": "rules.base",
    "Service": "model",
    "Status": "rules.base",
    "Structure": "model",
    "SubjectResult": "assessment",
    "Verdict": "rules.base",
    "assess": "assessment",
    "build_registry": "registry",
    "bundled_reference": "reference",
    "get_plugin_manager": "plugins",
    "grant_history": "continuity",
    "hookimpl": "hookspecs",
    "hookspec": "hookspecs",
    "interruptions": "continuity",
    "load_dataset": "files",
    "plugin_info": "plugins",
    "read_dataset": "files",
    "resolve": "resolver",
    "sample_dataset": "files",
    "validate": "validation",
    "write_dataset": "files",
}

__all__ = [
    "ENTRY_POINT_GROUP",
    "Agreement",
    "Assessment",
    "Commitment",
    "Context",
    "Coordinator",
    "Dataset",
    "DatasetError",
    "Finding",
    "Funder",
    "FundingRow",
    "FundingStatus",
    "Hearing",
    "Interruption",
    "JarjestoError",
    "JointAuthority",
    "Name",
    "Organisation",
    "PartyRef",
    "PluginError",
    "Problem",
    "Reference",
    "Registry",
    "ReportFormat",
    "Responsibility",
    "Rule",
    "Service",
    "Status",
    "Structure",
    "SubjectResult",
    "Verdict",
    "assess",
    "build_registry",
    "bundled_reference",
    "get_plugin_manager",
    "grant_history",
    "hookimpl",
    "hookspec",
    "interruptions",
    "load_dataset",
    "plugin_info",
    "read_dataset",
    "resolve",
    "sample_dataset",
    "validate",
    "write_dataset",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'jarjesto_core' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"jarjesto_core.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
