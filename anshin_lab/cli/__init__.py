"""The ``anshin`` command line: one module per command group, options beside their handler.

``main`` builds the parser from the command modules (``workspace``,
``incidents``, ``fraud``, ``reports``, ``users``, ``alerts``, ``members``,
``send``, ``demo``, ``audit``) and runs one command; ``common`` holds what
they share (the Japanese parser, login, error lines).
"""

from anshin_lab.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
