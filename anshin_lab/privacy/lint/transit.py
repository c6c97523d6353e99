"""Stations the press names without 駅, where a railway line says what they are.

- **A section of a line**: 「JR南武線武蔵新城-武蔵溝ノ口間」「赤羽―板橋間を走行中のJR埼京線」: the
  two names around the dash before 間 are stations when a line, a train or a railway is named
  near them.
- **Getting on or off**: 「東武線の新越谷で降りた」「京王線の聖蹟桜ヶ丘から乗車」: a place name right
  after a line and 「の」, before で / から / まで and a verb of boarding or leaving a train.

Service and parking areas (「甲賀SA」「足柄PA」) are kind words of ``facility_kinds.csv``.
``find_line_stations`` returns candidates ``(start, end, "facility", "駅")`` on the folded text.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.lexicon import Lexicon

__all__ = ["PREFECTURES", "find_line_stations"]

# Words that say the names near them are stations: a line, a train, a railway.
_RAILWAY = re.compile(r"線|電車|列車|モノレール|エクスプレス|ライナー|地下鉄|鉄道|電鉄|新幹線")
_DASHES = {"-", "~", "〜", "～", "─", "━", "ー"}
# Boarding or leaving a train after the station: 「で降りた」「から乗車」「まで乗った」.
_BOARDING = re.compile(r"(?:で|から|まで)\s?(?:降り|下車|乗車|乗り|降車|乗っ|乗せ|乗降|改札)")
_LINE_END = re.compile(r"(?:線|ライン|モノレール|エクスプレス|ライナー|地下鉄)(?:の|で)?$")


# Prefectures and the big cities named after them: 「東京-大阪間の新幹線」 is a distance, not two stations; 「(鹿児島)」
# alone on a line is a dateline, no writer.
PREFECTURES = set("北海道 青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 東京 神奈川 新潟 富山 石川 福井 山梨 長野 岐阜 静岡 "
                   "愛知 三重 滋賀 京都 大阪 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛 高知 福岡 佐賀 長崎 熊本 大分 "
                   "宮崎 鹿児島 沖縄 名古屋 札幌 仙台 横浜 神戸".split())


def _station_token(t, lex: Lexicon) -> bool:
    """A token that can be (part of) a station's name: a proper noun that is no line, no company."""
    if t.pos[0] != "名詞" or t.pos[1] != "固有名詞" or t.pos[2] not in ("地名", "一般"):
        return False
    return not (t.surface.endswith("線") or t.surface in lex.generic or t.surface.isascii())


def _plain_station(tokens, i: int, lex: Lexicon) -> bool:
    """A common noun right before the dash that starts a word (after a particle or a mark): 「の蕨-」."""
    t = tokens[i]
    if t.pos[0] != "名詞" or t.pos[1] != "普通名詞" or t.surface in lex.generic or t.surface in lex.stops:
        return False
    return i == 0 or tokens[i - 1].pos[0] in ("助詞", "補助記号", "空白") or tokens[i - 1].end != t.begin


def find_line_stations(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    """The stations named without 駅 in a line's section or where someone boards or leaves a train."""
    out = []
    for k, t in enumerate(tokens):
        if t.surface in _DASHES and 0 < k < len(tokens) - 1:
            out += _section(text, tokens, k, lex)
    for k, t in enumerate(tokens):
        if not _station_token(t, lex) or not _BOARDING.match(text, t.end):
            continue
        if _LINE_END.search(text, max(0, t.begin - 12), t.begin) and not t.surface.endswith("駅"):
            out.append((t.begin, t.end, "facility", "駅"))
    return out


def _section(text: str, tokens, k: int, lex: Lexicon) -> list[tuple]:
    """The two stations around the dash at token ``k`` when 間 follows the second (「本厚木-海老名間」)."""
    a_end, b_start = tokens[k - 1].end, tokens[k + 1].begin
    if a_end != tokens[k].begin or b_start != tokens[k].end:
        return []
    j = k + 1
    while j < len(tokens) and tokens[j].begin == tokens[j - 1].end and _station_token(tokens[j], lex):
        j += 1
    if j == k + 1 or j >= len(tokens) or not text.startswith("間", tokens[j].begin):
        return []
    b_end = tokens[j - 1].end
    i = k - 1
    while i >= 0 and _station_token(tokens[i], lex) and (i == k - 1 or tokens[i].end == tokens[i + 1].begin):
        i -= 1
    if i == k - 1 and _plain_station(tokens, i, lex):
        i -= 1  # 「蕨-西川口間」: a one-word name SudachiPy reads as a common noun, before a proper one
    if i == k - 1:
        return []
    a_start = tokens[i + 1].begin
    if not _RAILWAY.search(text, max(0, a_start - 20), min(len(text), b_end + 20)):
        return []
    if text[a_start:a_end] in PREFECTURES and text[b_start:b_end] in PREFECTURES:
        return []
    out = []
    for s, e in ((a_start, a_end), (b_start, b_end)):
        if text.endswith("駅", s, e):
            continue  # 「薬園台駅」: the kind word finds it
        out.append((s, e, "facility", "駅"))
    return out
