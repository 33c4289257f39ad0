"""Built-in command modules, each exporting ``COMMANDS``."""
