"""Logging in from the command line: the workspace's database, and a user whose password never comes from argv.

Workflow steps and sending go through ``anshin service`` (:func:`service_session`):
the command logs in there and the service acts as that user; the command
itself holds no key and writes nothing to the workflow tables.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sys

from anshin_lab.app.client import ServiceClient
from anshin_lab.app.workspace import open_workspace
from anshin_lab.core.errors import AnshinError
from anshin_lab.storage import store
from anshin_lab.workflow.users import authenticate


def engine(args):
    """The database engine of ``--workspace``."""
    return store.connect(open_workspace(args.workspace).database_url)


def password(variable: str, prompt: str) -> str:
    """A secret from the environment, else asked for without echo (never from the command line)."""
    if os.environ.get(variable):
        return os.environ[variable]
    if not sys.stdin.isatty():
        raise AnshinError(f"パスワードを環境変数 {variable} で渡してください")
    return getpass.getpass(prompt)


def login(args, db):
    """The ``--user`` logged in with ANSHIN_PASSWORD (else asked)."""
    if not args.user:
        raise AnshinError("--user でログインするユーザーを指定してください")
    return authenticate(db, args.user, password("ANSHIN_PASSWORD", f"{args.user} のパスワード: "))


def username(args, who: str = "ログインするユーザー") -> str:
    """--user, else ANSHIN_USER, else asked for on a terminal."""
    name = getattr(args, "user", None) or os.environ.get("ANSHIN_USER")
    if name:
        return name
    if not sys.stdin.isatty():
        raise AnshinError(f"{who}を --user か環境変数 ANSHIN_USER で指定してください")
    return input(f"{who}のユーザー名: ").strip()


@contextlib.contextmanager
def service_session(args, who: str = "ログインするユーザー"):
    """A ``ServiceClient`` logged in to the workspace's service as --user / ANSHIN_USER; logs out at the end.

    Checks that the service is running before asking for the password.
    """
    client = ServiceClient.for_workspace(open_workspace(args.workspace))
    try:
        client.ping()
        name = username(args, who)
        client.login(name, password("ANSHIN_PASSWORD", f"{name} のパスワード: "))
        yield client
    finally:
        client.close()
