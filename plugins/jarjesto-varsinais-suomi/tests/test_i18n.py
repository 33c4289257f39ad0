"""Every message of the plugin is translated in fi, sv and en, and the .mo files are compiled."""

from __future__ import annotations

from jarjesto_core.testing import Jarjesto

import jarjesto_varsinais_suomi as plugin


def test_catalogues_are_complete_and_compiled(jarjesto: Jarjesto) -> None:
    jarjesto.check_catalogues(plugin)
