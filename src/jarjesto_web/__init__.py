"""jarjesto's web UI: a thin Flask app over :mod:`jarjesto_core` (built in the web issue)."""
