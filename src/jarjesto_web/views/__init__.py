"""The web UI's blueprints: pages (read), edit (forms), transfer (CSV and downloads), api."""
