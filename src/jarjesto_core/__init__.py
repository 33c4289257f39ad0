"""jarjesto's domain core: the dataset, reference data, validation and assessment.

Pure Python with no I/O in the model and rules, and no import of click or
flask: the CLI and the web UI are thin layers over this package. The public
names below are imported on first use, so ``import jarjesto_core`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jarjesto_core.assess import Assessment, SubjectResult, assess
    from jarjesto_core.continuity import Interruption, grant_history, interruptions
    from jarjesto_core.errors import DatasetError, JarjestoError, PluginError, Problem
    from jarjesto_core.files import load_dataset, read_dataset, sample_dataset
    from jarjesto_core.hookspecs import hookimpl, hookspec
    from jarjesto_core.plugins import ENTRY_POINT_GROUP, get_plugin_manager, plugin_info
    from jarjesto_core.registry import Registry, build_registry
    from jarjesto_core.reports import ReportFormat
    from jarjesto_core.resolver import FundingRow, FundingStatus, resolve
    from jarjesto_core.rules.base import Context, Finding, Rule, Status, Verdict

_PUBLIC = {
    "Assessment": "assess",
    "SubjectResult": "assess",
    "assess": "assess",
    "Interruption": "continuity",
    "grant_history": "continuity",
    "interruptions": "continuity",
    "DatasetError": "errors",
    "JarjestoError": "errors",
    "PluginError": "errors",
    "Problem": "errors",
    "load_dataset": "files",
    "read_dataset": "files",
    "sample_dataset": "files",
    "hookimpl": "hookspecs",
    "hookspec": "hookspecs",
    "ENTRY_POINT_GROUP": "plugins",
    "get_plugin_manager": "plugins",
    "plugin_info": "plugins",
    "Registry": "registry",
    "build_registry": "registry",
    "ReportFormat": "reports",
    "FundingRow": "resolver",
    "FundingStatus": "resolver",
    "resolve": "resolver",
    "Context": "rules.base",
    "Finding": "rules.base",
    "Rule": "rules.base",
    "Status": "rules.base",
    "Verdict": "rules.base",
}

__all__ = [
    "ENTRY_POINT_GROUP",
    "Assessment",
    "Context",
    "DatasetError",
    "Finding",
    "FundingRow",
    "FundingStatus",
    "Interruption",
    "JarjestoError",
    "PluginError",
    "Problem",
    "Registry",
    "ReportFormat",
    "Rule",
    "Status",
    "SubjectResult",
    "Verdict",
    "assess",
    "build_registry",
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
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'jarjesto_core' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"jarjesto_core.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
