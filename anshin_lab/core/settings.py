"""The one settings object: defaults, help text and ``ANSHIN_*`` overrides.

Every field has a default and a one-line description (``anshin settings show``
prints them). Environment variables named ``ANSHIN_<FIELD>`` override the
defaults; secrets are only ever read from the environment and are masked when
shown.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from anshin_lab.core import directive
from anshin_lab.core.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ENV_PREFIX = "ANSHIN_"


def _default_workspace() -> Path:
    # A source checkout (the supported way to run the workbench) keeps its
    # default workspace in the project's data/ folder.
    if (PROJECT_ROOT / "pyproject.toml").exists():
        return PROJECT_ROOT / "data"
    return Path.cwd() / "data"


def _setting(default, help: str, *, secret: bool = False, factory=None):
    meta = {"help": help, "secret": secret}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Settings:
    """Workbench configuration; build with :func:`load_settings`."""

    workspace: Path = _setting(None, "作業領域(データベース・参照レイヤ・サンプル)のフォルダ", factory=_default_workspace)
    reference_dir: Path = _setting(
        None, "同梱の参照データ(行政区域・国勢調査小地域・町字・警察署サンプル)のフォルダ",
        factory=lambda: PROJECT_ROOT / "data" / "reference",
    )
    database_url: str = _setting("", "SQLAlchemy のデータベース URL(空なら作業領域の SQLite ファイル)", secret=True)
    sender_domain: str = _setting(directive.SENDER_DOMAIN, "会員が受信許可しているメールの送信元ドメイン")
    smtp_host: str = _setting("127.0.0.1", "送信に使う SMTP リレーのホスト")
    smtp_port: int = _setting(8025, "送信に使う SMTP リレーのポート")
    tile_url: str = _setting("", "任意の地図タイル URL(庁内の地理院タイルミラーなど。空なら境界データのみで描画)")
    retention_years: int = _setting(directive.RETENTION_YEARS, "記録の保存年限(通達の保存区分)")
    due_outcome_days: int = _setting(
        14, "発信後この日数を過ぎても結果(検挙・指導警告・解決)の続報がない配信を anshin alerts due に出す")
    due_unreported_hours: int = _setting(
        24, "発生からこの時間(時間)を過ぎても配信も「発信しない」の記録もない事案を anshin alerts due に出す")
    due_lookback_days: int = _setting(30, "anshin alerts due が報告漏れを探す期間(日。これより古い事案は出さない)")
    smtp_security: str = _setting("auto", "SMTP の暗号化(auto: 提供されれば STARTTLS / starttls: 必須 / tls / none)")
    smtp_user: str = _setting("", "SMTP リレーのログインユーザー(空ならログインしない)")
    smtp_password: str = _setting("", "SMTP リレーのパスワード(環境変数 ANSHIN_SMTP_PASSWORD でのみ指定)", secret=True)
    smtp_ca_file: str = _setting("", "リレー証明書を検証する CA ファイル(空ならシステムの CA)")
    smtp_timeout_s: int = _setting(30, "SMTP リレーへの接続と挨拶(EHLO)の時間切れ(秒)。送信中の各応答は RFC 5321 の時間(本文の後は10分)まで待ちます")
    smtp_connections: int = _setting(32, "同時に使う SMTP 接続の数(2 ms 先のリレーで測った性能の頭打ち。リレーが1接続元に許す数以下に)")
    rate_limits: str = _setting(
        "docomo.ne.jp=20,ezweb.ne.jp=20,au.com=20,softbank.ne.jp=20,i.softbank.jp=20,ymobile.ne.jp=20,uqmobile.jp=20",
        "宛先ドメイン別の送信速度の上限(通/秒。携帯各社の受信制限に合わせる)")
    retry_initial_s: int = _setting(1, "一時エラー(4xx)再試行の最初の待ち(秒)")
    retry_max_s: int = _setting(30, "再試行の待ちの上限(秒)")
    retry_window_s: int = _setting(600, "1回の送信で再試行を続ける時間(秒)")
    bounce_limit: int = _setting(3, "連続した不達(5xx)がこの回数に達した会員への送信を止める")
    dkim_key_path: str = _setting("", "DKIM 秘密鍵(PEM)のパス(空なら署名しない)")
    dkim_selector: str = _setting("anshin", "DKIM セレクタ")
    sender_local: str = _setting("anshin", "送信元アドレスの @ の前")
    sender_name: str = _setting(directive.SERVICE_NAME, "From の表示名(携帯電話で崩れないよう12文字まで)")
    organisation: str = _setting(directive.POLICE_NAME, "本文末尾に書く送信者名")
    unsubscribe_url: str = _setting("", "ワンクリック配信停止の URL(空なら https://<sender_domain>/unsubscribe)")
    confirm_url: str = _setting("", "登録確認の URL(空なら https://<sender_domain>/confirm)")
    registration_address: str = _setting("", "空メール登録の宛先アドレス(空なら touroku@<sender_domain>)")
    subject_max_chars: int = _setting(40, "メール件名の上限文字数(携帯電話で読める長さ)")
    body_max_chars: int = _setting(1000, "メール本文の上限文字数(携帯電話で読める長さ)")
    sample_seed: int = _setting(20251201, "サンプルデータ生成の乱数シード")
    max_import_bytes: int = _setting(200_000_000, "取り込むファイルの大きさの上限(バイト。読む前に確かめる)")
    max_import_rows: int = _setting(2_000_000, "取り込む1ファイルの行数の上限")
    max_xlsx_uncompressed: int = _setting(
        500_000_000, "XLSX を展開した中身の合計の上限(バイト。zip の目録で読む前に確かめる: zip 爆弾対策)")
    max_xlsx_ratio: int = _setting(100, "XLSX の中の1ファイルの圧縮率(展開後÷圧縮後)の上限(zip 爆弾対策)")
    max_field_chars: int = _setting(2000, "取り込む1つの欄の文字数の上限(超えた行は保留)")

    @property
    def database(self) -> str:
        """The database URL actually used (the workspace SQLite file by default)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(Path(self.workspace) / 'anshin.sqlite').resolve()}"

    def with_workspace(self, workspace: str | Path | None) -> "Settings":
        """The same settings pointed at another workspace (None keeps this one)."""
        if workspace is None:
            return self
        return dataclasses.replace(self, workspace=Path(workspace).expanduser().resolve())

    def describe(self) -> list[tuple[str, str, str]]:
        """(name, shown value, help) for every field, secrets masked."""
        rows = []
        for f in fields(self):
            value = getattr(self, f.name)
            shown = "****" if f.metadata["secret"] and value else str(value)
            rows.append((f.name, shown, f.metadata["help"]))
        rows.append(("database", redact_url(self.database), "実際に使うデータベース(database_url から導出)"))
        return rows


def redact_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    from sqlalchemy.engine import make_url  # here, not at the top: reading settings stays light for --help
    from sqlalchemy.exc import ArgumentError  # (SQLAlchemy takes ~0.2 s to import)

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:  # not a URL SQLAlchemy understands: show only its scheme
        return url.split("://", 1)[0] + "://…"


def _convert(name: str, raw: str, target):
    if target is Path or target == "Path":
        return Path(raw).expanduser().resolve()
    if target is int or target == "int":
        try:
            return int(raw)
        except ValueError as exc:
            raise ConfigError(f"{ENV_PREFIX}{name.upper()}={raw!r} は整数ではありません") from exc
    return raw


def load_settings(environ: dict | None = None, **overrides) -> Settings:
    """Settings from defaults, then ``ANSHIN_*`` variables, then keyword overrides."""
    environ = os.environ if environ is None else environ
    values = {}
    for f in fields(Settings):
        key = ENV_PREFIX + f.name.upper()
        if key in environ and environ[key] != "":
            values[f.name] = _convert(f.name, environ[key], f.type)
    for name, value in overrides.items():
        if value is None:
            continue
        if name not in {f.name for f in fields(Settings)}:
            raise ConfigError(f"unknown setting {name!r}")
        values[name] = value
    if "workspace" in values:
        values["workspace"] = Path(values["workspace"]).expanduser().resolve()
    return Settings(**values)
