"""``anshin members import|counts|unsubscribe|serve``: the people who receive the mail, and their own pages."""

from __future__ import annotations

from anshin_lab.app.imports import import_members
from anshin_lab.app.member_site import serve_members
from anshin_lab.app.workspace import require_workspace
from anshin_lab.cli.common import add_workspace
from anshin_lab.cli.members_inbox import register_inbox
from anshin_lab.cli.session import engine
from anshin_lab.cli.tables import MEMBER_STATUSES, render_table
from anshin_lab.core.errors import AnshinError
from anshin_lab.delivery import member_counts, unsubscribe
from anshin_lab.records.members import STATUSES
from anshin_lab.views import member_pages


def cmd_members_import(args) -> int:
    report = import_members(args.file, require_workspace(args.workspace))
    for line in report.lines():
        print(line)
    return 0


def cmd_members_counts(args) -> int:
    print(render_table(member_counts(engine(args), status=args.status), "会員はいません"))
    return 0


def cmd_members_unsubscribe(args) -> int:
    member_id = unsubscribe(engine(args), args.token)
    if member_id is None:
        raise AnshinError("その配信停止トークンの会員はいません")
    print(f"会員「{member_id}」の配信を停止しました")
    return 0


def cmd_members_serve(args) -> int:
    return serve_members(require_workspace(args.workspace), member_pages.render, port=args.port, host=args.host,
                         smtp=args.smtp, out=lambda line: print(line, flush=True))


def register_members(parser) -> None:
    members = parser.add_subparsers(dest="members_command", metavar="ACTION", required=True)
    p = members.add_parser("import", help="会員の一覧(CSV/XLSX)を検証して取り込む",
                           description="メールアドレス(書式のみ。DNS は引きません)・分類・地域・重複を検証して取り込みます。"
                                       "不備のある行は作業領域の quarantine/ に理由付きで保存します。同じファイルを"
                                       "再度取り込んでも何も変わりません。登録済みの会員は上書きしません。"
                                       "XLSX はすべてのシートを読みます(見出しの違うシートがあれば取り込みません)。ファイルの大きさ・"
                                       "行数・XLSX を展開した大きさ・1欄の文字数には上限があります(anshin settings show の max_import_bytes など)。")
    add_workspace(p)
    p.add_argument("file", metavar="FILE", help="取り込むファイル")
    p.set_defaults(func=cmd_members_import)
    p = members.add_parser("counts", help="分類別・地域別の会員数(広報用、通達 第6(4))")
    add_workspace(p)
    p.add_argument("--status", default="active", choices={code: MEMBER_STATUSES[code] for code in STATUSES},
                   metavar="STATUS", help="数える会員の状態(既定: active。"
                   + "、".join(f"{code}: {MEMBER_STATUSES[code]}" for code in STATUSES) + ")")
    p.set_defaults(func=cmd_members_counts)
    p = members.add_parser("unsubscribe", help="配信停止トークンの会員を停止する(mailto での停止依頼を処理するとき)")
    add_workspace(p)
    p.add_argument("token", metavar="TOKEN", help="配信停止トークン(配信停止の依頼メールに書かれたもの)")
    p.set_defaults(func=cmd_members_unsubscribe)
    p = members.add_parser("serve", help="会員のページ(登録の確認・配信内容の変更・配信停止・再登録)を起動する",
                           description="会員がメールのリンクから開くページを起動します: 登録の確認、配信内容(分類・地域・"
                                       "言語・配信を控える時間)の変更、ワンクリックの配信停止(RFC 8058)、再登録(確認のメールを"
                                       "送り直します)。リンクは作業領域の secrets/members.key(初回に作成)で署名します。"
                                       "メールのリンク先は設定の confirm_url と unsubscribe_url でこのページに向けます"
                                       "(例: ANSHIN_CONFIRM_URL=https://example.jp/confirm)。SIGTERM か Ctrl-C で停止します。")
    add_workspace(p)
    p.add_argument("--port", type=int, default=8026, metavar="P", help="待ち受けるポート(既定: 8026、0 なら空いているポート)")
    p.add_argument("--host", default="127.0.0.1", metavar="HOST",
                   help="待ち受けるアドレス(既定: 127.0.0.1。公開は TLS を終端するリバースプロキシの後ろで)")
    p.add_argument("--smtp", metavar="HOST:PORT", help="確認のメールを渡す SMTP リレー(省略時は設定の smtp_host:smtp_port)")
    p.set_defaults(func=cmd_members_serve)
    register_inbox(members)
