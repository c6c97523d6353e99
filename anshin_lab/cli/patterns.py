"""``anshin patterns series|near-repeat|hotspots``: the analyst's patterns over the stored incidents (部外秘).

Thin: parse, call ``app.patterns``, print a Japanese table (or ``--json``
for machines). ``anshin patterns series --draft SERIES_ID`` asks
``anshin service``, as the logged-in analyst, to store the alert the series
seeds (「同様の事案が続いています」, published areas only) as a draft.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import pandas as pd

from anshin_lab.app import patterns
from anshin_lab.cli.common import add_login, add_workspace, day_text, positive_int
from anshin_lab.cli.session import service_session
from anshin_lab.cli.tables import render_table
from anshin_lab.core.dates import TOKYO
from anshin_lab.core.glossary import CATEGORIES

KNOX_COLUMNS = {"space_band": "距離", "time_band": "期間", "observed": "観測", "expected": "期待値", "ratio": "比",
                "p_value": "p値", "significant": "有意"}
HOTSPOT_COLUMNS = {"name": "地域", "count": "件数", "z": "Gi*(z)", "p_sim": "p値", "q_value": "q値(FDR)", "hotspot": "区分"}
HOTSPOT_KINDS = {"hot": "ホットスポット", "cold": "コールドスポット"}
WEEKDAY_HOUR_TOP = 5


def category_code(text: str) -> str:
    """An argparse type: a category code (threat) or its Japanese name (脅威事犯)."""
    if text in CATEGORIES:
        return text
    by_name = {name: code for code, name in CATEGORIES.items()}
    if text in by_name:
        return by_name[text]
    raise argparse.ArgumentTypeError(
        f"分類「{text}」は使えません(使えるのは {'、'.join(f'{c}: {n}' for c, n in CATEGORIES.items())})")


def band_list(kind: type):
    """An argparse type: increasing numbers separated by commas (``0,100,200``)."""
    def check(text: str):
        try:
            return tuple(kind(part) for part in text.split(",") if part.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"数をカンマ区切りで指定してください: {text}") from None
    return check


def chosen(args, default_category: str | None = None) -> patterns.PatternFilter:
    return patterns.PatternFilter(since=args.since, until=args.until, category=args.category or default_category,
                                  station=args.station)


def plain(value):
    """A JSON-ready value: times as ISO text, numpy scalars as numbers, tuples as lists, NaN as null."""
    if isinstance(value, pd.Timestamp):
        return value.tz_convert(TOKYO).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    return [{key: plain(value) for key, value in row.items()} for row in frame.to_dict("records")]


def print_json(payload: dict) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=1))


# -- series -----------------------------------------------------------------------------------------

def cmd_patterns_series(args) -> int:
    selection = chosen(args, patterns.SERIES_CATEGORY)
    if args.draft is not None:
        made = patterns.draft_series(args.workspace, args.draft, selection, max_km=args.max_km,
                                     max_days=args.max_days)
        for finding in made.findings:
            print(f"注意: 公表できない表現「{finding.text}」({finding.kind})→「{finding.suggestion}」", file=sys.stderr)
        with service_session(args, "下書きを作成する分析担当") as client:
            answer = patterns.store_series_draft(client, made)
        print(f"系列 {args.draft} から下書き #{answer['alert_id']} を作成しました(承認待ち): {made.level.label}"
              f"「{made.public_text}」、{len(made.incident_ids)}件の事案(申請は anshin alerts submit {answer['alert_id']})")
        return 0
    result, incidents = patterns.series_of(args.workspace, selection, max_km=args.max_km, max_days=args.max_days)
    series = result.series
    if args.json:
        print_json({"filters": selection.describe(), "incidents": len(incidents), "series": records(series),
                    "links": records(result.links)})
        return 0
    print(f"系列の候補: {len(series)}件({selection.describe()} の事案 {len(incidents):,}件から、"
          f"{args.max_km:g}km・{args.max_days}日以内で似た事案をつないだもの。部外秘)")
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 250,
                           "display.max_colwidth", 120):
        print(patterns.series_table(series).to_string(index=False) if len(series) else "系列の候補はありません")
    if len(series):
        print("\n系列から注意喚起の下書きを作るには: anshin patterns series --draft 系列 --user 分析担当のユーザー名"
              "(同じ絞り込みで)")
    return 0


# -- near repeat ------------------------------------------------------------------------------------

def cmd_patterns_near_repeat(args) -> int:
    selection = chosen(args)
    options = {"permutations": args.permutations, "seed": args.seed}
    if args.space_bands:
        options["space_bands_m"] = args.space_bands
    if args.time_bands:
        options["time_bands_days"] = args.time_bands
    result = patterns.near_repeat_of(args.workspace, selection, **options)
    if args.json:
        print_json({"filters": selection.describe(), "n_events": result.n_events, "n_dropped": result.n_dropped,
                    "permutations": result.permutations, "seed": result.seed, "alpha": result.alpha,
                    "table": records(result.table), "reading": result.reading})
        return 0
    print(f"近接反復(Knox 検定): {selection.describe()} の事案 {result.n_events:,}件、並べ替え {result.permutations:,}回"
          f"(乱数の種 {result.seed})")
    print("観測/期待の比(p値、* は有意に多い)")
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200):
        print(patterns.knox_cells(result).to_string())
    print()
    print(result.reading)
    return 0


# -- hot spots --------------------------------------------------------------------------------------

def cmd_patterns_hotspots(args) -> int:
    selection = chosen(args)
    result = patterns.hotspots_of(args.workspace, selection, permutations=args.permutations, seed=args.seed)
    areas = pd.DataFrame(result.areas.drop(columns="geometry"))
    hot = areas[areas["hotspot"].isin(list(HOTSPOT_KINDS))].sort_values(["hotspot", "z"], ascending=[False, False])
    hot = hot[[c for c in ("area_code", *HOTSPOT_COLUMNS) if c in hot]]
    if args.json:
        print_json({"filters": selection.describe(), "incidents": result.incidents, "hotspots": records(hot),
                    "weekday_hour": {str(k): [int(v) for v in row] for k, row in result.weekday_hour.iterrows()}})
        return 0
    print(f"ホットスポット(Getis-Ord Gi*、小地域、偽発見率で補正): {selection.describe()} の事案 {result.incidents:,}件"
          "(部外秘)")
    shown = hot.assign(hotspot=hot["hotspot"].map(HOTSPOT_KINDS), z=hot["z"].map(lambda v: f"{v:.2f}"),
                       p_sim=hot["p_sim"].map(lambda v: f"{v:.3f}"), q_value=hot["q_value"].map(lambda v: f"{v:.3f}"))
    shown = shown[[c for c in HOTSPOT_COLUMNS if c in shown]].rename(columns=HOTSPOT_COLUMNS)
    print(render_table(shown, "有意なホットスポット・コールドスポットはありません"))
    table = result.weekday_hour
    top = table.stack().sort_values(ascending=False).head(WEEKDAY_HOUR_TOP)
    if len(top) and top.iloc[0] > 0:
        print("\n多い曜日・時間帯: " + "、".join(f"{day}曜 {hour}時台 {int(n)}件" for (day, hour), n in top.items() if n > 0))
    return 0


# -- the parser -------------------------------------------------------------------------------------

def add_filters(p) -> None:
    p.add_argument("--since", type=day_text, metavar="DATE", help="この日以降の事案(例: 2026-06-01)")
    p.add_argument("--until", type=day_text, metavar="DATE", help="この日までの事案(この日を含む)")
    p.add_argument("--category", type=category_code, metavar="CATEGORY",
                   help="分類(" + "、".join(f"{c}: {n}" for c, n in CATEGORIES.items()) + ")")
    p.add_argument("--station", metavar="STATION", help="この警察署の事案だけ(例: 鹿児島中央警察署)")
    p.add_argument("--json", action="store_true", help="機械が読む JSON で出力する")


def register_patterns(parser) -> None:
    sub = parser.add_subparsers(dest="patterns_command", metavar="ACTION", required=True)
    p = sub.add_parser("series", help="同一行為者の可能性がある事案の系列(署をまたぐものも)を、スコアと理由付きで示す",
                       description="取り込み済みの事案(既定は脅威事犯)から、場所と日時が近く、行為者の特徴(車両・服装・"
                                   "年代・体格・手口)が似ている事案をつなぎ、系列の候補をスコアと理由付きで示します(部外秘)。"
                                   "--draft 系列 で、その系列の注意喚起(「同様の事案が続いています」。公表する地域だけを書き、"
                                   "事案番号や他の署の名前は書きません)を下書きとして anshin service に登録します。")
    add_workspace(p)
    add_login(p)
    add_filters(p)
    p.add_argument("--max-km", type=float, default=3.0, metavar="KM", help="つなぐ事案の距離の上限(既定: 3km)")
    p.add_argument("--max-days", type=positive_int, default=30, metavar="N", help="つなぐ事案の日数の上限(既定: 30日)")
    p.add_argument("--draft", metavar="SERIES_ID", help="この系列の注意喚起を下書きとして登録する(分析担当としてログイン)")
    p.set_defaults(func=cmd_patterns_series)
    p = sub.add_parser("near-repeat", help="近接反復の Knox 検定(距離帯×期間帯の観測/期待の比と p 値、その読み方)",
                       description="事案の全ての組を距離帯×期間帯に分け、発生日を無作為に入れ替えた場合と比べます"
                                   "(Knox 検定。Near Repeat Calculator と同じ方法)。近くで間を置かずに次の事案が起きやすいかが分かります。")
    add_workspace(p)
    add_filters(p)
    p.add_argument("--permutations", type=positive_int, default=999, metavar="N", help="並べ替えの回数(既定: 999)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="乱数の種(同じ種なら同じ結果。既定: 0)")
    p.add_argument("--space-bands", type=band_list(float), metavar="M,M,…",
                   help="距離帯の境目(メートル。既定: 0,100,200,400,800)")
    p.add_argument("--time-bands", type=band_list(int), metavar="D,D,…", help="期間帯の境目(日。既定: 0,7,14,21,28)")
    p.set_defaults(func=cmd_patterns_near_repeat)
    p = sub.add_parser("hotspots", help="小地域のホットスポット(Gi*、偽発見率の補正付き)と、多い曜日・時間帯",
                       description="小地域ごとの件数に Getis-Ord Gi* を当て、偽発見率(FDR)で補正して有意に集中している"
                                   "地域(ホットスポット)と少ない地域を示します。曜日×時間帯で多いところも示します(部外秘)。")
    add_workspace(p)
    add_filters(p)
    p.add_argument("--permutations", type=positive_int, default=999, metavar="N",
                   help="Gi* の条件付き並べ替えの回数(既定: 999)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="乱数の種(既定: 0)")
    p.set_defaults(func=cmd_patterns_hotspots)
