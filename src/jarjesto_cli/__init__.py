"""The ``jarjesto`` command line: a thin click layer over :mod:`jarjesto_core`."""
