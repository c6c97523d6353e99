"""``anshin users add|designate-operator|list``: accounts and the designated send operator (directive §6(1)).

Account changes are signed with the service's key. When ``anshin service`` is
running they go through it, logged in; otherwise the command acts as the
service itself, which only the key's owner can (the service's OS user, or the
single-user setup), and anyone else is refused in one line naming the fix.
"""

from __future__ import annotations

from anshin_lab.app.client import ServiceClient, ServiceUnavailable
from anshin_lab.app.workspace import act_as_service, open_workspace
from anshin_lab.cli.common import add_login, add_workspace
from anshin_lab.cli.session import engine, login, password, service_session
from anshin_lab.cli.tables import render_table
from anshin_lab.workflow.rules import Role
from anshin_lab.workflow.users import add_user, designate_operator, list_users

ROLES = {role.value: role.label for role in Role}  # a refused --role lists them with their labels


def service_running(args) -> bool:
    """Whether the workspace's ``anshin service`` answers."""
    client = ServiceClient.for_workspace(open_workspace(args.workspace))
    try:
        return client.ping()
    except ServiceUnavailable:
        return False
    finally:
        client.close()


def new_password(args) -> str:
    return password("ANSHIN_NEW_PASSWORD", f"{args.username} の新しいパスワード: ")


def cmd_users_add(args) -> int:
    if service_running(args):
        if args.user:
            with service_session(args) as client:
                answer = client.add_user(args.username, args.role, new_password(args), args.name)
        else:  # the very first admin: no one to log in as yet
            with ServiceClient.for_workspace(open_workspace(args.workspace)) as client:
                answer = client.add_user(args.username, args.role, new_password(args), args.name)
        username, role = answer["username"], Role(answer["role"])
    else:
        act_as_service(open_workspace(args.workspace))
        db = engine(args)
        actor = login(args, db) if args.user else None
        user = add_user(db, actor, args.username, args.role, new_password(args), args.name)
        username, role = user.username, user.role
    print(f"ユーザー「{username}」({role.label})を作成しました(使う人は自分のパスワードでログインします)")
    return 0


def cmd_users_designate(args) -> int:
    if service_running(args):
        with service_session(args) as client:
            client.designate_operator(args.username)
    else:
        act_as_service(open_workspace(args.workspace))
        db = engine(args)
        designate_operator(db, login(args, db), args.username)
    print(f"「{args.username}」を発信操作担当者に指定しました")
    return 0


def cmd_users_list(args) -> int:
    print(render_table(list_users(engine(args)), "ユーザーはいません(最初の管理者は anshin users add で作ります)"))
    return 0


def register_users(parser) -> None:
    users = parser.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    p = users.add_parser("add", help="ユーザーを作る(管理者。最初の管理者だけは --user なし)")
    add_workspace(p)
    add_login(p)
    p.add_argument("username", metavar="USERNAME", help="作るユーザーの名前(ログインに使います)")
    p.add_argument("--role", required=True, choices=ROLES, metavar="ROLE",
                   help="役割(" + "、".join(f"{code}: {label}" for code, label in ROLES.items()) + ")")
    p.add_argument("--name", help="表示名(例: 鹿児島中央署 佐藤)")
    p.set_defaults(func=cmd_users_add)
    p = users.add_parser("designate-operator", help="発信操作担当者に指定する(生活安全企画課長)")
    add_workspace(p)
    add_login(p)
    p.add_argument("username", metavar="USERNAME", help="発信操作担当者に指定するユーザー(役割が発信操作担当者のもの)")
    p.set_defaults(func=cmd_users_designate)
    p = users.add_parser("list", help="ユーザーの一覧")
    add_workspace(p)
    p.set_defaults(func=cmd_users_list)
