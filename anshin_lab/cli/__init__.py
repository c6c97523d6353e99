"""The `anshin` command line: one module per command group."""

from anshin_lab.cli.main import main

__all__ = ["main"]
