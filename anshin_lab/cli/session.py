"""Logging in from the command line: the workspace's database, and a user whose password never comes from argv."""

from __future__ import annotations

import getpass
import os
import sys

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


def operator_login(args, db):
    """The operator: --user or ANSHIN_USER (else asked), password from ANSHIN_PASSWORD (else asked)."""
    username = args.user or os.environ.get("ANSHIN_USER")
    if not username:
        if not sys.stdin.isatty():
            raise AnshinError("発信操作担当者を --user か環境変数 ANSHIN_USER で指定してください")
        username = input("発信操作担当者のユーザー名: ").strip()
    return authenticate(db, username, password("ANSHIN_PASSWORD", f"{username} のパスワード: "))
