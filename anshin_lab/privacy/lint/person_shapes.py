"""Names found by the shape of the sentence around them, where the words of the name alone say too little.

- **A suspect or a victim as the news prints them**: 「<住所>、<職業>、<氏名>容疑者(NN)」. A run of kanji
  right before 容疑者 / 被告 / 被疑者 / 受刑者 / さん / 氏 with an exact age after it is a name, even when
  SudachiPy reads it as common words (「西部|庄|大容疑者(27)」); an occupation glued before it
  (``occupations.txt``: 「無職須原城容疑者」) or a common word before a family name is left out.
- **Names in a row**: 「長島会長と石井副会長」「神谷さんと天野さん」. When one of two titled words joined by
  と, や, 、 or ・ is a name found, the other, a kanji run of one to five characters that SudachiPy
  reads as proper nouns or unknown words, is a name too.
- **A name claimed in kanji** (「伊集院と名乗る男」) and **family names in a row before 両 and a shared
  title** (「上原・砂辺両巡査」).
- **A stage name** (「テリー伊藤」: katakana glued to a family name) and **a name with its role in brackets**
  (「尾木直樹(教育評論家)」「パックン(タレント)」).
- **Who wrote or answers for a page**, after its label (「記事:仲田」「担当:生活安全課 津波古」).
- **A nickname or a claimed name in brackets**: 「「カートの須藤」と呼んでいた」「「ゲームセンターの松尾」と
  名乗る」: the family name at the end of a name the text says someone was called or called himself.

- Round 7: a run of three or four kanji before 容疑者 that is no row of common words and no charge
  (「見立|真|一容疑者」, not 「指名手配容疑者」); names with ages before 両 (「池宮悠仁(29)、中村晋弥(41)両容疑者」);
  a photo caption's row (「吉田局長(中)と田畠一光局長(左)」); and who introduces himself by the office he
  speaks for (「…新喜多の髙平と松原です」「生活安全課の森と申します」). Each needs the name to be shaped like one
  (``name_runs.name_shaped``: no title, common words, charge or place alone).
- Round 8: family names listed after a label of who answers or leads (「担当者:小林、寺崎」; ``member_lists``).
- Round 9: the alias a caller claims after whom he says he works for (「警察官の畠中を名乗る男」), who speaks or
  signs at the start of a line (「清宮 自治会防犯防災部長「…」」), and the name after a role and 「の」 (「店員の星さん」).
- Round 102: a storyteller's name, his house's in 亭 and his own (「三遊亭小游三師匠」, now in ``storytellers``); round
  104: a transcript's speaker by family name alone before his words (「百崎「いま…」」).

Heads and staff named by the title they hold and the office it heads (「鯖江郵便局(田畠一光局長)」「燕署で、水上英俊
署長が」「課長 鶴ヶ崎 徹」) are found by ``head_shapes``; the checks every finder shares (where a name in a run starts
and ends, whether a run can be a name) are in ``name_runs``.

``find_shaped_names`` returns candidates ``(start, end, "person", suggestion)`` on the folded text.
"""

from __future__ import annotations

import functools
import re

from anshin_lab.privacy.lint.caption_names import caption_names
from anshin_lab.privacy.lint.club_titles import lions_members
from anshin_lab.privacy.lint.direction_names import direction_surnames
from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.head_shapes import (before_police_heads, before_unit_titles, bracketed_heads, bracketed_rows,
                                                 heads_after_office, heads_before_dot, heads_of_town_bodies,
                                                 heads_inside_offices, heads_of_town_branches, runs_before_titles,
                                                 spaced_before_titles, spaced_names)
from anshin_lab.privacy.lint.lexicon import Lexicon, dictionary_lines
from anshin_lab.privacy.lint.member_lists import members_listed, names_after_labels
from anshin_lab.privacy.lint.name_runs import (KANJI, LEAD_CHARS, OFFICE_END, OFFICE_TAIL, PEOPLE_WORDS,
                                               UNIT_OR_PLACE_END, after_occupation, ends_in_job, name_shaped,
                                               occupations)
from anshin_lab.privacy.lint.person_titles import MUNICIPAL_HEADS, station_town_named
from anshin_lab.privacy.lint.storytellers import find_storytellers
from anshin_lab.privacy.lint.tokens import can_be_surname, kana_of, script_of, tokenize

__all__ = ["find_shaped_names"]


# 「西部庄大容疑者(27)」「無職須原城容疑者 (33)」「山田花子さん(45)」「田中一郎さん45歳」.
_AGED = re.compile(rf"(?<![{KANJI}])(?P<run>[{KANJI}]{{2,14}}?)\s?(?:容疑者|被告人|被告|被疑者|受刑者|さん|氏)"
                   r"\s?(?=[(（]\s?(?:当時)?\s?[0-9]{1,3}\s?(?:歳|才)?\s?[)）]|[0-9]{1,3}\s?(?:歳|才))")


def find_shaped_names(text: str, tokens, owner, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    """The names the shapes of the module give; ``found`` are the persons already found."""
    out = _aged_in_news(text, lex)
    out += _in_a_row(text, tokens, owner, lex, found + out)
    out += _nicknames(text, tokens, owner)
    out += _claimed(text, tokens, lex)
    out += _stage_names(text, tokens, lex)
    out += _after_labels(text, lex)
    out += _with_role(text, lex)
    out += _listed_before_title(text, tokens, owner, lex)
    out += bracketed_heads(text, lex) + bracketed_rows(text, lex) + heads_of_town_bodies(text, lex)
    out += heads_after_office(text, lex) + heads_before_dot(text, lex) + heads_of_town_branches(text, lex)
    out += heads_inside_offices(text, lex)
    out += before_unit_titles(text, tokens, lex)
    out += _suspect_runs(text, lex)
    out += _introductions(text, tokens, owner, lex)
    out += runs_before_titles(text, tokens, owner, lex)
    out += names_after_labels(text, lex) + members_listed(text, lex)  # 「隊員の久保木、江口、堀越」 (round 115)
    out += spaced_names(text, lex)
    out += spaced_before_titles(text, lex)
    out += _aliases_after_office(text, tokens, owner, lex)
    out += _speakers(text, lex)
    out += before_police_heads(text, lex)
    out += _names_after_roles(text, tokens, owner, lex)
    out += round11_shapes(text, tokens, owner, lex, found + out)
    out += caption_names(text, lex, found + out)
    out += direction_surnames(text, tokens)  # 「北さん」「西選手」 (round 111)
    out += lions_members(text)  # 「石井L、佐々木L」 (round 123)
    return out


def _aged_in_news(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _AGED.finditer(text):
        a, b = m.span("run")
        a = after_occupation(text, a, b)
        if a is None or b - a < 2 or b - a > 5:
            continue
        name = text[a:b]
        if PEOPLE_WORDS.match(name) or name in lex.not_names or name in lex.generic or name in lex.titles \
                or name in lex.titles_before or name in lex.municipalities:
            continue
        piece = tokenize(name)
        if len(piece) == 1 and piece[0].pos[1] == "普通名詞" and not piece[0].oov and not can_be_surname(name):
            continue  # 「少年」「会社員」: one common word
        if any(t.pos[0] not in ("名詞", "接頭辞", "接尾辞", "副詞", "形状詞", "助動詞") or t.pos[1] == "数詞" for t in piece):
            continue
        out.append((a, b, "person", PERSON_MASK))
    return out


# Between two titled names in a row: 「長島会長と石井副会長」「田中さん、鈴木さん」.
# A photo caption puts where each stands between them: 「吉田局長(中)と田畠局長(左)」.
_JOIN = re.compile(r"(?:\s?[(（](?:左|右|中|中央|前|後|手前|奥)[^()（）]{0,4}[)）])?\s?(?:と|や|、|・|及び|および|並びに|,)\s?")


def _in_a_row(text: str, tokens, owner, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    out = []
    names = {(f[0], f[1]) for f in found if f[3] == PERSON_MASK}
    for m in lex.title_re.finditer(text):
        if lex.titles[m.group()] == "strong":
            continue  # 「くん」「ちゃん」: mascots and children stand in rows too
        h, e = m.span()
        if h == 0 or tokens[owner[h]].begin != h or (e < len(text) and tokens[owner[e - 1]].end != e):
            continue
        if any(b == h for _, b in names):
            continue  # already a name
        start = _kanji_name_start(text, tokens, owner, h, lex)
        if start is None:
            # 「田畠|一|光|局長」: a run of kanji the tokens cut anyhow, between the join and the title
            run = _RUN_BEFORE.search(text, max(0, h - 9), h)
            if run is None:
                continue
            lead = _LEAD_AT_END.search(run.group())  # 「金定|副統括|局長」: the lead is the title's
            if lead is not None:
                h = run.start() + lead.start()
            elif run.group()[-1] in "都道府県市町村" and name_shaped(text[run.start():h - 1], lex):
                h -= 1  # 「岡本直之|県|公安委員長」: the prefecture is the title's (round 54)
            if not name_shaped(text[run.start():h], lex):
                continue
            start = run.start()
        if (m.group() in _TOWN_HEADS and text[start:h] + _TOWN_HEADS[m.group()] in lex.municipalities) \
                or text.endswith(_BODIES, start, h) or (m.group() == "区長" and text.endswith(("町の", "村の"), 0, start)) \
                or (m.group() == "署長" and station_town_named(text, text[start:h])):  # (round 81: 「…、高萩署長、」)
            continue  # 「堀さん、桑名市長」: of 桑名市 (round 62); 「那覇市議会元議長」 (63); 「塩田町の石垣区長」: of 石垣区 (64)
        # the name of a neighbour in the row: after this title, or before the title this one follows
        j = _JOIN.match(text, e)
        after = j and any(a == j.end() and lex.title_re.match(text, b) for a, b in names)
        before = False
        for a, b in names:
            t = lex.title_re.match(text, b)
            if t:
                jj = _JOIN.match(text, t.end())
                before = before or bool(jj and jj.end() == start)
        if after or before:
            out.append((start, h, "person", PERSON_MASK))
    return out


_RUN_BEFORE = re.compile(rf"(?<![{KANJI}])[{KANJI}]{{2,8}}$")
_TOWN_HEADS = {**MUNICIPAL_HEADS, "区長": "区"}
_BODIES = ("議会", "委員会", "協議会", "協会", "組合", "係",  # (round 72: 「の窓口係局員、伊田萌美さん」)
           "課")  # (round 98: 「国際課職員、平澤龍一容疑者」)
_LEAD_AT_END = re.compile(r"(?:前|元|現|副|次|統括|総括|代表|筆頭|主任|首席)+$")


def _kanji_name_start(text: str, tokens, owner, h: int, lex: Lexicon) -> int | None:
    """Where a name of one to five kanji ending at ``h`` starts, when the tokens there are proper nouns,
    unknown words or family names and the run starts a word (「長島|会長」, not 「防犯協会|長」)."""
    k = owner[h - 1]
    start = h
    while k >= 0 and tokens[k].end == start and h - tokens[k].begin <= 5:
        t = tokens[k]
        if any(script_of(ch) != "kanji" for ch in t.surface):
            break
        if not (t.pos[1] == "固有名詞" or t.oov or can_be_surname(t.surface)) or t.pos[1] == "数詞":
            break
        start = t.begin
        k -= 1
    if start == h or (start > 0 and script_of(text[start - 1]) == "kanji"):
        return None
    name = text[start:h]
    if name in lex.not_names or name in lex.generic or name in lex.municipalities or name in lex.titles \
            or re.search(r"[都道府県市区町村郡]$", name):
        return None
    if not can_be_surname(name) and not any(tokens[i].person or tokens[i].oov for i in range(owner[start], owner[h - 1] + 1)):
        return None
    return start


# 「「カートの須藤」と呼んでいた」「「○○の田中」などと呼ばれ」: a nickname, its last word a family name.
_NICKNAME = re.compile(r"[「『](?P<what>[^「」『』]{1,12}?)の(?P<name>[一-鿿々ヶ]{1,4})[」』](?=(?:など)?(?:と|って|を)\s?(?:呼|言|い|称|名乗|なの))")


# Round 21: a pet name in kana a man calls himself, in brackets (「「ぴーちゃん」と名乗り」): SudachiPy may read the kana
# as an adverb, but a name before ちゃん and a claim is his; kinship words are no name (「「おじちゃん」と名乗る」).
_PET_NAME = re.compile(r"[「『](?P<name>[ぁ-ゖァ-ヺー]{1,6})(?:ちゃん|くん|君)[」』](?=(?:など)?(?:と|って)\s?(?:名乗|なの|名の|称))")
_KINSHIP = re.compile(r"^(?:お?(?:じい|ばあ|じ|ば|にい|ねえ|兄|姉)|にい|ねえ|パパ|ママ|おっ|おい|おにい|おねえ)$")


def _nicknames(text: str, tokens, owner) -> list[tuple]:
    out = []
    for m in _NICKNAME.finditer(text):
        a, b = m.span("name")
        t = tokens[owner[a]]
        if t.begin == a and t.end == b and (t.pos[2] == "人名" or can_be_surname(t.surface)):
            out.append((a, b, "person", PERSON_MASK))
    out += [(*m.span("name"), "person", PERSON_MASK) for m in _PET_NAME.finditer(text) if not _KINSHIP.match(m["name"])]
    return out


# 「伊集院と名乗る男」「名前は蓮見だと名乗った」「「名前は長谷川だ」と名乗った」: a kanji name before a claim's verb.
_CLAIM_AFTER = re.compile(r"(?:だ|です)?[」』]?\s?(?:と|を|って)\s?(?:名乗|なの|称)")
# A speaker introducing himself: 「署長の林と申します」 (a common word such as 林 too, when it is a family name).
_SELF_NAMED = re.compile(r"[」』]?\s?と\s?申し(?:ます|上げ)")


def _claimed(text: str, tokens, lex: Lexicon) -> list[tuple]:
    """A family or given name (SudachiPy 人名, or a place that is also a family name and no municipality)
    right before 「と名乗る」 that starts a word."""
    out = []
    for k, t in enumerate(tokens):
        introduced = _SELF_NAMED.match(text, t.end) and t.pos[0] == "名詞" and can_be_surname(t.surface)
        if script_of(t.surface[0]) != "kanji" or not (introduced or
                (t.person and t.pos[3] in ("姓", "名")) or (t.pos[2] == "地名" and can_be_surname(t.surface))):
            continue  # 「伊集院」 is a place to SudachiPy, and a family name; 「署長の林と申します」 (round 31)
        if t.begin > 0 and tokens[k - 1].end == t.begin and script_of(text[t.begin - 1]) == "kanji":
            continue  # the end of a longer word
        if (_CLAIM_AFTER.match(text, t.end) or introduced) and t.surface not in lex.not_names \
                and t.surface not in lex.municipalities and t.surface not in lex.municipality_stems:
            out.append((t.begin, t.end, "person", PERSON_MASK))
    return out


# 「上原・砂辺両巡査」「宇土原、栗栖両容疑者」「田中・新井の両県議」: family names in a row before 両 and the title they share
# (or 各, round 61: 「津幡、笠間、黒沢各警部補」);
# each may carry its age (「池宮悠仁(29)、中村晋弥(41)両容疑者」).
# Round 122: or where each stands in a photo (「川岸(右)、朴両選手」).
_ROW_AGE = r"(?:\s?[(（]\s?(?:[0-9]{1,3}\s?(?:歳|才)?|(?:前列|後列)?[右左中奥]|中央|手前)\s?[)）])?"
_SHARED_TITLE = re.compile(rf"(?P<row>[{KANJI}]{{1,5}}{_ROW_AGE}(?:[・、]\s?[{KANJI}]{{1,5}}{_ROW_AGE}){{1,4}})\s?の?[両各](?=[{KANJI}])")
_ROW_ITEM = re.compile(rf"[{KANJI}]{{1,5}}")


def _listed_before_title(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _SHARED_TITLE.finditer(text):
        title = lex.title_re.match(text, m.end())
        if title is None or lex.titles[title.group()] == "strong":
            continue
        items = [i.span() for i in _ROW_ITEM.finditer(text, m.start("row"), m.end("row"))
                 if text[i.start() - 1] not in "(（"]  # (「(右)」 is where one stands)
        # the names in a row run back from 両 (「木下入間市長、田中・新井の両県議」: the row is 田中・新井, round 33)
        k = len(items)
        while k > 0 and _row_name(text[items[k - 1][0]:items[k - 1][1]], lex):
            k -= 1
        if text[m.end() - 1] == "各" and (k > 0 or title.group()[0] in _UNIT_CHARS
                                          or any(not 2 <= b - a <= 3 for a, b in items)):
            continue  # after 各 only a whole row of family names, and a rank (「和歌山東、西、北の各署員」: each station's)
        if len(items) - k >= 2 and (k == 0 or text[items[k - 1][1]:items[k][0]].strip() == "、"):
            out += [(a, b, "person", PERSON_MASK) for a, b in items[k:]]
    return out


_UNIT_CHARS = set("署校店園局社課部所館院会")


def _row_name(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` in a row before a shared title can be a name: it starts with a family name."""
    if name in lex.not_names or name in lex.generic or name in lex.municipalities or name in lex.titles:
        return False
    piece = tokenize(name)
    return bool(piece) and (piece[0].pos[3] == "姓" or can_be_surname(piece[0].surface) or can_be_surname(name))


def _stage_names(text: str, tokens, lex: Lexicon) -> list[tuple]:
    """「テリー伊藤」「ジャガー横田」, not a chain and its branch (「アリオ川口」, round 71): a name in katakana glued to a
    family name (SudachiPy 人名 both); SudachiPy may hold a famous one with its role in one token, which it leaves out."""
    out = []
    for a, b in zip(tokens, tokens[1:]):
        if a.end != b.begin or not (a.person and b.person and b.pos[3] == "姓") or len(a.surface) < 2 \
                or not all(kana_of(ch) == "katakana" for ch in a.surface) or lex.chain_re.fullmatch(a.surface):
            continue
        cut = b.surface.find("(")
        out.append((a.begin, b.begin + cut if cut > 0 else b.end, "person", PERSON_MASK))
    return out + find_storytellers(text)


# 「尾木直樹(教育評論家)」「パックン(タレント)」: a name, then the role the press gives it in brackets.
_ROLE = re.compile(rf"(?<![{KANJI}ァ-ヺー])(?P<name>[{KANJI}]{{2,5}}|[ァ-ヺー・]{{3,12}})[(（][^()（）]{{0,12}}?"
                   r"(?:タレント|俳優|女優|歌手|評論家|コメンテーター|アナウンサー|キャスター|作家|漫画家|弁護士|教授|"
                   r"准教授|ジャーナリスト|心理士|研究者|専門家)[)）]")


def _with_role(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _ROLE.finditer(text):
        name = m.group("name")
        if name in lex.not_names or name in lex.generic or name in lex.municipalities or name in lex.titles:
            continue
        piece = tokenize(name)
        if len(piece) == 1 and piece[0].pos[1] == "普通名詞" and not piece[0].oov:
            continue  # 「専門家(弁護士)」: a word, not a name
        if any(t.pos[0] not in ("名詞", "接尾辞", "接頭辞", "補助記号") or t.pos[2] == "地名" for t in piece):
            continue
        out.append((*m.span("name"), "person", PERSON_MASK))
    return out


# 「担当:生活安全課 津波古」「記事:仲田」「文責 教頭 比嘉」「問い合わせ先 総務課 上江洲(内線123)」: who wrote or answers
# for a page, after the label, maybe a unit or a title, at the end of the line or before a bracket (round 103: a
# post's, 「投稿者 記者・ 松林」).
_LABELLED = re.compile(rf"(?:担当者?|記事|文責|報告者|作成者|記入者|記録者|発信者|投稿者|執筆者?|問い?合わ?せ先?|連絡先)\s?[:：]?\s?"
                       rf"(?:[{KANJI}]{{1,10}}(?:課|係|室|部|班|局|署|センター)\s)?(?:(?P<title>[{KANJI}]{{1,4}})[・･]?\s)?"
                       rf"(?P<name>[{KANJI}]{{1,4}})(?=\s*(?:$|\n|[(（]|[、,/／]))")


def _after_labels(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _LABELLED.finditer(text):
        if m["title"] and m["title"] not in lex.titles and m["title"] not in lex.titles_before:
            continue
        name = m["name"]
        if name in lex.not_names or name in lex.generic or name in lex.titles or name in lex.titles_before:
            continue
        piece = tokenize(name)
        if (len(piece) == 1 and piece[0].person) or can_be_surname(name):
            out.append((*m.span("name"), "person", PERSON_MASK))
    return out


# 「見立真一容疑者」「見立真一被告」: a run of three or four kanji right before the title of a suspect, at the
# start of a word, that is no row of common words (「指名手配容疑者」「殺人未遂容疑者」).
_SUSPECT_RUN = re.compile(rf"(?<![{KANJI}])(?P<run>[{KANJI}]{{3,12}}?)(?:容疑者|被告人|被告|被疑者|受刑者)")


def _suspect_runs(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _SUSPECT_RUN.finditer(text):
        a, b = m.span("run")
        a = after_occupation(text, a, b)
        if a is None or not 3 <= b - a <= 4:
            continue
        name = text[a:b]
        piece = tokenize(name)
        if len(piece) < 2 or piece[0].pos[0] != "名詞" or piece[0].pos[1] == "数詞" or "サ変" in piece[0].pos[2] \
                or any(t.pos[1] == "普通名詞" and "サ変" in t.pos[2] for t in piece):
            continue  # 「窃盗|団」「指名|手配」「無|免許」: a charge, an act or a state
        if name_shaped(name, lex):
            out.append((a, b, "person", PERSON_MASK))
    return out


# 「アーバンケア新喜多の髙平と松原です。」「生活安全課の森と申します。」: who introduces himself by the office
# he speaks for, at the end of a sentence (round 24: 「管理課の平井、そして古澤と申します」).
_INTRODUCED = re.compile(rf"(?P<office>[{KANJI}ァ-ヺー]{{1,12}})の"
                         rf"(?P<names>[{KANJI}]{{1,4}}(?:(?:と|、そして|、|・)[{KANJI}]{{1,4}}){{0,3}})"
                         r"(?P<verb>です|でございます|と申します|と言います|といいます)(?=[。!！\n]|$)")


# Round 53: a head's greeting, 「…署長に着任いたしました岡です。」: after the verb of taking the post, the name, even of
# one kanji.
_TOOK_POST = re.compile(rf"(?:着任|就任|赴任|拝命)(?:いた|致)?しました(?P<name>[{KANJI}]{{1,4}})です(?=[。!！\n]|$)")


def _introductions(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    out = [(*m.span("name"), "person", PERSON_MASK) for m in _TOOK_POST.finditer(text)
           if can_be_surname(m["name"]) and m["name"] not in lex.not_names and m["name"] not in lex.generic]
    for m in _INTRODUCED.finditer(text):
        if not OFFICE_END.search(m["office"]) and not tokens[owner[m.start("office")]].pos[1] == "固有名詞" \
                and not any(tokens[owner[i]].pos[1] == "固有名詞" for i in range(m.start("office"), m.end("office"))):
            continue  # 「今日の天気です」: not an office
        items = [i.span() for i in re.finditer(rf"[{KANJI}]{{1,4}}", text[m.start("names"):m.end("names")])]
        found = []
        for a, b in items:
            a, b = a + m.start("names"), b + m.start("names")
            name = text[a:b]
            if name in lex.not_names or name in lex.generic or name in lex.titles or name in lex.titles_before \
                    or name in occupations() or name in lex.stops:
                break
            if len(name) == 1 and m["verb"] == "です":
                break  # 「署の前です」: one kanji is a name only with 「と申します」
            piece = tokenize(name)
            if not (can_be_surname(name) or (len(piece) == 1 and (piece[0].person or piece[0].oov))
                    or (len(piece) > 1 and name_shaped(name, lex))):
                break
            found.append((a, b, "person", PERSON_MASK))
        else:
            out += found
    return out


# ---------------------------------------------------------------------------------------------
# Round 9: the alias a caller claims after whom he says he works for


@functools.lru_cache(maxsize=1)
def _staff_words() -> frozenset[str]:
    """Who a fraud caller claims to be (``claims.csv``, role staff: 職員, 店員, 担当者…): a role, never an alias."""
    rows = [line.split(",") for line in dictionary_lines("claims.csv")[1:]]
    return frozenset(r[0] for r in rows if len(r) == 2 and r[1] == "staff")


# 「警察官の畠中を名乗る男」「【警視庁のモトハシ】を名乗る」「保険課のやまだと称する」「銀行協会の竹村を装う」: the word
# between 「の」 and the verb of a claim, in one script, right after whom the caller says he works for.
_ALIAS = re.compile(rf"(?<![ぁ-ゖ])の(?P<alias>[{KANJI}]{{1,5}}|[ぁ-ゖ]{{2,6}}|[ァ-ヺー]{{2,8}})[」』】]?\s?"
                    r"(?:と|って|を)\s?(?P<verb>名乗|なの|名の|称(?!え|賛|讃)|かた|騙|装)")  # (round 70: 「の栄誉を称える」 praises)
# Words after 「の」 that name what is claimed, not who: 「会社の名前を名乗る」「家族のふりを装う」「市の名をかたる」.
# The end of a role, an office or a thing (「点検業者」「健康福祉課」「行政機関」「当選金」), and the people a caller
# claims to be by kinship or work (「息子の友人を名乗る」).
_ROLE_OR_OFFICE_END = re.compile(r"(?:[員者官士師家人手生金品書状証課係室部局署所庁省会社団店館院園校]|機関|業者|関係|代理|本人)$")
_RELATIONS = {"息子", "娘", "孫", "友人", "知人", "同僚", "上司", "部下", "先輩", "後輩", "秘書", "家族", "親族", "親戚", "妻",
              "夫", "兄", "弟", "姉", "妹", "父", "母", "甥", "姪", "友達", "恋人", "彼氏", "彼女", "仲間", "同級生", "先生",
              "氏名", "代表", "窓口", "担当", "使い", "遣い", "知り合い", "ふり", "フリ"}
_CLAIMED_THINGS = {"名", "名前", "名義", "名称", "名刺", "ふり", "フリ", "もの", "者", "方", "人", "一員", "身分", "立場"}


def _aliases_after_office(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    """The alias a caller claims after an office or a role and 「の」, in kanji, hiragana or katakana, when it is
    no role (``claims.csv``), title, occupation, common word, act or known organisation."""
    out = []
    for m in _ALIAS.finditer(text):
        a, b = m.span("alias")
        alias = m["alias"]
        if len(alias) >= 3 and alias.endswith("名") and not can_be_surname(alias):
            continue  # 「職員名を名乗り」「会社名をかたる」: the name of a role or a body, claimed (round 12)
        if m.start() == 0 or alias in _CLAIMED_THINGS or alias in _staff_words() or alias in lex.titles \
                or alias in lex.titles_before or alias in lex.not_names or alias in lex.generic \
                or alias in occupations() or any(alias.endswith(w) for w in _staff_words() if len(w) >= 2) \
                or lex.chain_re.fullmatch(alias) or tokens[owner[a]].begin != a:
            continue
        if can_be_surname(alias):
            out.append((a, b, "person", PERSON_MASK))  # 「植木」「竹村」「三橋」: a family name, whatever else it reads as
            continue
        piece = tokenize(alias)
        if any(t.pos[0] in ("助詞", "助動詞", "動詞", "形容詞", "接尾辞") or t.pos[1] in ("数詞", "代名詞") or "サ変" in t.pos[2]
               for t in piece):
            continue  # 「還付を装う」「点検を装う」: an act; 「その」: no name
        if any(t.person or t.oov for t in piece):
            out.append((a, b, "person", PERSON_MASK))
            continue
        if any(t.pos[1] == "固有名詞" and t.pos[2] in ("一般", "組織") for t in piece) or _ROLE_OR_OFFICE_END.search(alias) \
                or alias in _RELATIONS or script_of(alias[0]) != "kanji":
            continue  # 「通販のアマゾンを装う」「点検業者を名乗る」「息子の友人を名乗る」
        if m["verb"] in ("名乗", "なの", "名の", "称") and alias not in lex.municipalities and not PEOPLE_WORDS.match(alias) \
                and alias[0] not in LEAD_CHARS and all(t.pos[1] in ("普通名詞", "固有名詞") for t in piece):
            out.append((a, b, "person", PERSON_MASK))  # 「警察官の文月を名乗る」: a word, claimed as a name
    return out


# Round 9: who speaks or signs, at the start of a line: 「清宮 自治会防犯防災部長「…」」「斎藤 事務局長「…」」
# 「- 細堀 清(三島町防犯連絡会会長)」: a name, then a space and the office and title he speaks for, or that office
# and title in brackets; and a transcript's speaker after its mark 「◯種部警察本部長」「○山田委員」.
_LINE_START = r"(?:^|(?<=\n))[ \u3000\t\-－–—・･*●○◯◎■□◆◇▼▽]*"
_SPEAKER = re.compile(_LINE_START + rf"(?P<name>[{KANJI}]{{1,4}}(?:[ \u3000][{KANJI}]{{1,3}})?)"
                      rf"(?:[ \u3000](?P<office>[{KANJI}・･]{{1,18}})(?=[「『:：\s]|$)"
                      r"|\s?[(（](?P<inner>[^()（）\n]{1,24})[)）](?=\s*(?:$|\n|[、。,]))|(?P<quote>[「『]))")
_TRANSCRIPT = re.compile(r"(?:^|(?<=\n))\s*[◯○〇◎]\s?(?P<run>[" + KANJI + r"]{2,14})(?=[ \u3000\n]|$)")


def _speaker_name(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` (a family name, maybe a space and a given name) starting a line can be a person's."""
    parts = name.split()
    family = parts[0]
    if any(p in lex.not_names or p in lex.generic or p in lex.titles or p in lex.titles_before or p in lex.municipalities
           for p in parts) or family[0] in LEAD_CHARS:
        return False
    if UNIT_OR_PLACE_END.search(family) and not can_be_surname(family):
        return False  # 「生活安全課 田中課長」: a unit, not a name
    head = tokenize(family)
    return can_be_surname(family) or bool(head and head[0].pos[3] == "姓") \
        or (len(parts) == 2 and name_shaped(family + parts[1], lex, place_ok=True))


def _surname_alone(name: str) -> bool:
    """Whether ``name`` is one word SudachiPy reads as a family name (「百崎」), no common word (「防犯」)."""
    piece = tokenize(name)
    return len(piece) == 1 and piece[0].pos[2] == "人名" and piece[0].pos[3] == "姓"


def _speakers(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _SPEAKER.finditer(text):
        words = m["office"] or (m["inner"] or "").strip()
        if m["quote"] is None and not ends_in_job(words, lex):
            continue
        if m["quote"] is not None and " " not in m["name"] and "\u3000" not in m["name"] \
                and not _surname_alone(m["name"]):
            continue  # 「防犯「…」」 needs the office: a word before a quote is no speaker alone, but a family name the
            # dictionary has as one is (「百崎「いま困ってることありますか?」」, a transcript's line, round 104)
        if _speaker_name(m["name"], lex):
            out.append((*m.span("name"), "person", PERSON_MASK))
    for m in _TRANSCRIPT.finditer(text):
        run = m["run"]
        title = next((i for i in range(len(run)) if lex.titles.get(run[i:]) == "job"), None)
        if title is None:
            continue
        for cut in (2, 3, 1):
            rest = run[cut:title]
            if cut <= title and can_be_surname(run[:cut]) and (not rest or OFFICE_TAIL.search(rest)
                                                               or UNIT_OR_PLACE_END.search(rest)):
                out.append((m.start("run"), m.start("run") + cut, "person", PERSON_MASK))
                break
    return out


# 「店員の星さん」「職員の一戸さんが」「担当の仲さん」: after a role (``claims.csv`` staff, a title or an occupation) and
# 「の」, the word before さん / 氏 is the person's family name, even one SudachiPy reads as a common word or a place;
# only words of family, people and roles are none (「店員の奥さん」「職員の皆さん」「店員の息子さん」).
_AFTER_ROLE = re.compile(rf"(?<![{KANJI}])(?P<role>[{KANJI}]{{1,8}})の(?P<name>[{KANJI}]{{1,3}})(?=さん|氏|様)")


def _names_after_roles(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _AFTER_ROLE.finditer(text):
        role, name = m["role"], m["name"]
        if not any(role.endswith(w) for w in _staff_words()) and role not in lex.titles_before \
                and not any(role.endswith(w) for w in occupations()):
            continue
        a, b = m.span("name")
        if name in lex.not_names or name in lex.generic or name in lex.titles or name in _RELATIONS \
                or name in _CLAIMED_THINGS or tokens[owner[a]].begin != a:
            continue
        if PEOPLE_WORDS.match(name) or name in _staff_words() or name in occupations() or name in lex.titles_before \
                or name[0] in LEAD_CHARS:
            continue  # 「店員の女性さん」「社員の店員さん」「店員の同僚さん」
        inside = tokens[owner[a]:owner[b - 1] + 1]
        if text.startswith("様", b) and not can_be_surname(name) and all(t.pos[1] == "普通名詞" and not t.oov
                                                                         for t in inside):
            continue  # 「小学生の団体様」: a common word no family name is, a group addressed politely (round 26)
        out.append((a, b, "person", PERSON_MASK))
    return out


# Round 11. 「福田さんは土性さんに連絡し」: in a story that names someone with さん, a word of kanji right after a particle or
# a comma and before さん is another person's family name, even one SudachiPy reads as a common word (土性); words of
# family, people, roles and occupations are none (「奥さん」「皆さん」「店員さん」).
_BARE_SAN = re.compile(rf"(?:^|(?<=[はがにとも、。「『]))(?P<name>[{KANJI}]{{2,3}})(?=さん[にはがをとのへもや、。」])")
# 「20年9月に村本が最初に」: a family name of the dictionary as the subject right after a date.
_AFTER_DATE = re.compile(rf"[0-9０-９]\s?(?:年|月|日)(?:ごろ|頃)?(?:に|、)(?P<name>[{KANJI}]{{2,3}})(?=が|は)")
# 「(マハール有仁州)」: a byline alone on its line, a foreign family name in katakana and a given name in kanji.
_BYLINE_LINE = re.compile(rf"^\s*[(（](?P<name>[ァ-ヺー]{{2,8}}[{KANJI}]{{1,4}})[)）]\s*$", re.M)
# 「(ファミリーマート従業員)」: a firm and its staff in brackets, a speaker's caption, no byline.
_ROLE_TAIL = re.compile(r"(?:[員者長主]|社員|店員|職員|代表|担当|スタッフ)$")
# 「“投資家・牛飼”と名乗り」: an alias in quotes after the role it goes with and 「・」, before 名乗る.
_ROLE_ALIAS = re.compile(rf"[“「『\"](?P<role>[{KANJI}ァ-ヺー]{{1,8}})・(?P<name>[{KANJI}ァ-ヺー]{{2,6}})[”」』\"]"
                         r"\s?(?:と|を|って)?\s?(?:名乗|称)")
_ROLE_ENDS = set("家者師士員手")
# 「天野(あまの・)芳士(よしひと)さん」: the family name read alone (its reading ends with ・), then the given name read.
_PART_READINGS = re.compile(rf"(?<![{KANJI}])(?P<family>[{KANJI}]{{1,4}})(?P<reading>[(（][ぁ-ゖ]{{1,10}}[・･][)）])"
                            rf"(?=[{KANJI}]{{1,4}}[(（][ぁ-ゖ]{{1,10}}[)）])")


def round11_shapes(text: str, tokens, owner, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    """The shapes of round 11: a bare family name before さん in a story, after a date, a byline line, a role's alias."""
    out = []
    named = [f for f in found if f[2] == "person" and text.startswith("さん", f[1])]
    for m in _BARE_SAN.finditer(text):
        a, b = m.span("name")
        name = m["name"]
        if not any(f[1] != b for f in named) or tokens[owner[a]].begin != a or not _plain_person_word(name, lex):
            continue
        out.append((a, b, "person", PERSON_MASK))
    for m in _AFTER_DATE.finditer(text):
        a, b = m.span("name")
        piece = tokenize(m["name"])
        if len(piece) == 1 and piece[0].person and piece[0].pos[3] == "姓" and m["name"] not in lex.not_names:
            out.append((a, b, "person", PERSON_MASK))
    out += [(*m.span("name"), "person", PERSON_MASK) for m in _BYLINE_LINE.finditer(text)
            if not _ROLE_TAIL.search(m["name"])]
    for m in _PART_READINGS.finditer(text):
        if m["family"] not in lex.municipality_stems and m["family"] not in lex.not_names:
            out.append((m.start("family"), m.end("reading"), "person", PERSON_MASK))
    for m in _ROLE_ALIAS.finditer(text):
        role = m["role"]
        if (role[-1] in _ROLE_ENDS or any(role.endswith(w) for w in occupations())) and _plain_person_word(m["name"], lex):
            out.append((*m.span("name"), "person", PERSON_MASK))
    return out


def _plain_person_word(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` may be a family name: no word of family, people, role, occupation or title."""
    return not (name in lex.not_names or name in lex.generic or name in lex.titles or name in _RELATIONS
                or name in _CLAIMED_THINGS or PEOPLE_WORDS.match(name) or name in _staff_words()
                or name in occupations() or name in lex.titles_before or name[0] in LEAD_CHARS
                or name in lex.municipalities or name in lex.municipality_stems)
