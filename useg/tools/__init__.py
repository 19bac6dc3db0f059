"""The command-line tools, importable: each module has ``main(argv=None)`` (``useg <command>``)."""
