"""The demo: invented sample data, a development SMTP relay on loopback, and the main job end to end.

Only the command line (``anshin init``, ``anshin demo``, ``anshin smtpd``) and
the tests import it; nothing in the product does (the import-linter contract).
"""
