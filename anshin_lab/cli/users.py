"""``anshin users add|set-affiliation|designate-operator|list``: accounts, their 所属 and the send operator (§6(1)).

Account changes are signed with the service's key. When ``anshin service`` is
running they go through it, logged in; otherwise the command acts as the
service itself, which only the key's owner can (the service's OS user, or the
single-user setup), and anyone else is refused in one line naming the fix.
"""

from __future__ import annotations

from anshin_lab.app.client import ServiceClient, ServiceUnavailable
from anshin_lab.app.references import station_names
from anshin_lab.app.workspace import act_as_service, open_workspace
from anshin_lab.cli.common import add_login, add_workspace
from anshin_lab.cli.session import engine, login, password, service_session
from anshin_lab.cli.tables import render_table
from anshin_lab.core.directive import HQ_DIVISIONS
from anshin_lab.core.errors import AnshinError
from anshin_lab.workflow.rules import Role
from anshin_lab.workflow.stations import STATION_ROLES, resolve_affiliation
from anshin_lab.workflow.users import add_user, designate_operator, list_users, set_affiliation

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


def stations_of(args):
    """The station table's names of the workspace (None when it has none: the 所属 is checked by its form only)."""
    try:
        return station_names(open_workspace(args.workspace).reference_dir)
    except AnshinError:
        return None


def cmd_users_add(args) -> int:
    # A station role names its station (an analyst may name an HQ division); checked before any password is asked.
    stations = stations_of(args)
    affiliation = resolve_affiliation(args.role, args.affiliation, stations) if (
        args.affiliation or Role(args.role) in STATION_ROLES) else None
    if service_running(args):
        if args.user:
            with service_session(args) as client:
                answer = client.add_user(args.username, args.role, new_password(args), args.name,
                                         affiliation=affiliation)
        else:  # the very first admin: no one to log in as yet
            with ServiceClient.for_workspace(open_workspace(args.workspace)) as client:
                answer = client.add_user(args.username, args.role, new_password(args), args.name,
                                         affiliation=affiliation)
        username, role = answer["username"], Role(answer["role"])
    else:
        act_as_service(open_workspace(args.workspace))
        db = engine(args)
        actor = login(args, db) if args.user else None
        user = add_user(db, actor, args.username, args.role, new_password(args), args.name, affiliation=affiliation,
                        stations=stations)
        username, role = user.username, user.role
    print(f"ユーザー「{username}」({role.label}、所属: {affiliation or HQ_DIVISIONS[0]})を作成しました"
          "(使う人は自分のパスワードでログインします)")
    return 0


def cmd_users_set_affiliation(args) -> int:
    if service_running(args):
        with service_session(args) as client:
            recorded = client.set_affiliation(args.username, args.affiliation)["affiliation"]
    else:
        act_as_service(open_workspace(args.workspace))
        db = engine(args)
        recorded = set_affiliation(db, login(args, db), args.username, args.affiliation, stations=stations_of(args))
    print(f"「{args.username}」の所属を「{recorded}」にしました")
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
    print(render_table(list_users(engine(args)).rename(columns={"affiliation": "所属"}),
                       "ユーザーはいません(最初の管理者は anshin users add で作ります)"))
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
    p.add_argument("--affiliation", metavar="所属",
                   help="所属: 警察署テーブルの警察署(署長・署の分析担当は必須。例: 鹿児島中央警察署)か本部の課("
                        + "・".join(HQ_DIVISIONS) + "。本部の役割は省略時 本部)")
    p.set_defaults(func=cmd_users_add)
    p = users.add_parser("set-affiliation", help="ユーザーの所属を記録する(管理者。所属のない署長は決裁できません)")
    add_workspace(p)
    add_login(p)
    p.add_argument("username", metavar="USERNAME", help="所属を記録するユーザー")
    p.add_argument("--affiliation", required=True, metavar="所属", help="警察署テーブルの警察署か本部の課")
    p.set_defaults(func=cmd_users_set_affiliation)
    p = users.add_parser("designate-operator", help="発信操作担当者に指定する(生活安全企画課長)")
    add_workspace(p)
    add_login(p)
    p.add_argument("username", metavar="USERNAME", help="発信操作担当者に指定するユーザー(役割が発信操作担当者のもの)")
    p.set_defaults(func=cmd_users_designate)
    p = users.add_parser("list", help="ユーザーの一覧")
    add_workspace(p)
    p.set_defaults(func=cmd_users_list)
