"""jarjesto's domain core: the dataset, reference data, validation and assessment.

Pure Python with no I/O in the model and rules, and no import of click or
flask: the CLI and the web UI are thin layers over this package.
"""

from __future__ import annotations
