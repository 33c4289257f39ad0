from __future__ import annotations

import os

from hypothesis import settings

#: pytester runs a plugin author's test suite; jarjesto_core.testing is the helper it uses.
pytest_plugins = ["pytester", "jarjesto_core.testing"]

# CI runs more examples; a developer's run stays quick. Never a deadline: no timed tests.
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
