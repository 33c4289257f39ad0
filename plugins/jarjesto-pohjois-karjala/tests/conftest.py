"""The plugin under test is named in pyproject.toml (``jarjesto_plugins``)."""

pytest_plugins = ["jarjesto_core.testing"]
