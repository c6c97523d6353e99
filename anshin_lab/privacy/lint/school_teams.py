"""High schools named as teams: 「前年度優勝の松江北を先頭に」「皆勤校の大田東や浜田南など」「出雲西の山田主将」
(issue 14, round 12).

School sports and school news name a high school by its town and a short word (a direction, 商, 工, or a
second name: 「松江北」「浜田商」「米子松蔭」), with no 高 or 高校 after it. A town and a direction are
ordinary words elsewhere (「松江北の住宅街」), so these rules read only the frames that make such a name a
team:

- **a title won or held, then の** (「前年度優勝の」「皆勤校の」「出場校の」「シード校の」), then one name or
  a list of names joined by や / 、 / と, in a text about a school competition (大会, 野球, 校…);
- **a team's player or staff**: the name, の, a person's name and a sports title (「出雲西の山田太郎主将」).

Each name starts with a place name SudachiPy knows and holds two or three noun tokens.
``school_teams`` returns candidates ``(start, end, "facility", "学校")`` on the normalised text.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.tokens import Token

__all__ = ["school_teams"]

# What a team was or is, before の (「前年度優勝の」「皆勤校の」「第1シードの」).
_TITLE_BEFORE = re.compile(r"(?:(?:前年度|前年|前回|昨年度|昨年|昨夏|昨秋|昨春)?(?:優勝|準優勝)|(?:皆勤|優勝|出場|強豪|常連|代表|シード"
                           r"|初出場|古豪|伝統)校|第[0-9]シード)の$")
# A text about a school competition.
_SCHOOL_GAME = re.compile(r"高校|大会|野球|甲子園|選手権|球児|[0-9一二三四五六七八九十]校")
# A team's player or staff after 〇〇の and a person's name.
_SPORTS_TITLES = ("主将", "副主将", "監督", "投手", "捕手", "内野手", "外野手", "遊撃手", "一塁手", "二塁手", "三塁手",
                  "選手", "部長", "主務", "マネージャー", "エース", "コーチ")
_ONE_TOKEN_TEAM = re.compile(r"[一-龥々]{2,4}[東西南北商工農]")
_JOINERS = ("や", "、", "と", "・")
# Words after a place that say where a person is from or lives, never part of a school's short name.
_NOT_IN_A_TEAM = frozenset(("出身", "在住", "生まれ", "育ち", "出身地", "在籍", "地元"))
_SUGGESTION = "学校"


def school_teams(text: str, tokens: list[Token], owner) -> list[tuple]:
    """Every high school that a sports frame names by its short name."""
    out = []
    game = _SCHOOL_GAME.search(text) is not None
    for k, t in enumerate(tokens):
        if t.pos[2] != "地名" or t.pos[1] != "固有名詞":
            continue
        end = _team_end(tokens, k)
        if end is None:
            continue
        if game and _TITLE_BEFORE.search(text, max(0, t.begin - 12), t.begin) or _listed_after_title(text, tokens, k):
            out.append((t.begin, tokens[end].end, "facility", _SUGGESTION))
        elif _player_after(tokens, end):
            out.append((t.begin, tokens[end].end, "facility", _SUGGESTION))
    return out


def _team_end(tokens: list[Token], k: int) -> int | None:
    """The last token of a team's name that starts with the place name ``tokens[k]``: one or two glued nouns
    after it (「松江|北」「米子|松蔭」), none of them a municipality's suffix or a number."""
    j = k
    while j + 1 < len(tokens) and j - k < 2 and tokens[j + 1].begin == tokens[j].end \
            and tokens[j + 1].pos[0] == "名詞" and tokens[j + 1].pos[1] not in ("数詞", "代名詞") \
            and tokens[j + 1].pos[2] != "地名" and not re.fullmatch(r"[市町村区郡県]", tokens[j + 1].surface):
        j += 1
    if any(t.surface in _NOT_IN_A_TEAM for t in tokens[k + 1:j + 1]):
        return None  # 「今治市|出身の近藤選手」: where a player comes from, no team (round 25)
    if j == k and not _ONE_TOKEN_TEAM.fullmatch(tokens[k].surface) or len("".join(t.surface for t in tokens[k:j + 1])) > 6:
        return None  # (one place-name token is a team when it ends in a direction or a trade: 「松江北」)
    if j + 1 < len(tokens) and tokens[j + 1].begin == tokens[j].end and tokens[j + 1].pos[0] in ("名詞", "接尾辞"):
        return None  # part of a longer word (「松江北|高校」 is found whole by the kind rules)
    return j


def _listed_after_title(text: str, tokens: list[Token], k: int) -> bool:
    """Whether ``tokens[k]`` starts a later item of a list whose first item follows a title
    (「皆勤校の大田東や|浜田南など」)."""
    if not _SCHOOL_GAME.search(text):
        return False
    j = k - 1
    items = 0
    while j >= 0 and items < 4 and tokens[j].surface in _JOINERS and tokens[j].end == tokens[j + 1].begin:
        # the item before the joiner: back to its place name
        i = j - 1
        while i >= 0 and i > j - 4 and not (tokens[i].pos[2] == "地名" and tokens[i].pos[1] == "固有名詞"):
            i -= 1
        if i < 0 or i <= j - 4 or _team_end(tokens, i) != j - 1:
            return False
        if _TITLE_BEFORE.search(text, max(0, tokens[i].begin - 12), tokens[i].begin):
            return True
        j = i - 1
        items += 1
    return False


def _player_after(tokens: list[Token], end: int) -> bool:
    """「出雲西|の|山田|太郎|主将」: の, a person's name of one or two tokens, and a sports title."""
    j = end + 1
    if j >= len(tokens) or tokens[j].surface != "の":
        return False
    names = 0
    j += 1
    while j < len(tokens) and names < 2 and tokens[j].person:
        names += 1
        j += 1
    return names > 0 and j < len(tokens) and tokens[j].surface in _SPORTS_TITLES and tokens[j].begin == tokens[j - 1].end
