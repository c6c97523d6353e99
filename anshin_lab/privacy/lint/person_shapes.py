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

- Round 7, **heads and members by the structure around them**: a head in brackets right after the office he
  heads (「鯖江郵便局(田畠一光局長)」「宮古島署(宮城英眞署長)」); a head after 「<office>の」 whose title heads
  that kind of office (「西区の粟崎区長」「湯原局の金定和宏局長」: the place is named before, so the word before
  the title is no place); a family name before a title a unit makes (「弓削田自治会|長」「柳澤支部|員」
  「鈴木協議会|長」); a run of three or four kanji before 容疑者 that is no row of common words and no charge
  (「見立|真|一容疑者」, not 「指名手配容疑者」); names with ages before 両 (「池宮悠仁(29)、中村晋弥(41)両容疑者」);
  a photo caption's row (「吉田局長(中)と田畠一光局長(左)」); and who introduces himself by the office he
  speaks for (「…新喜多の髙平と松原です」「生活安全課の森と申します」). Each needs the name to be shaped like one
  (``name_shaped``: no title, common words, charge or place alone).

- Round 8, **names the tokens do not know, placed by the structure around them**: a run of kanji between an edge
  (start, a particle, punctuation, a space, a bracket) and a job title, maybe with its reading in brackets, that is
  no unit, office, place, numbered unit or common word (「燕署で、水上英俊署長が」「同会の切金一夫(きりがねかずお)
  会長」「説明する川村所長=」; a town's name alone before a head's title only with an age, 「宮下会長(82)」); the
  name after an office glued before the title (「伴交番平所長」) and before the office a head's title carries
  (「村田隆|県警本部長」); family names listed after a label of who answers or leads (「担当者:小林、寺崎」
  「防犯リーダー 宮本・増田」); and a name after a title whose parts are set apart by spaces (「課長 鶴ヶ崎 徹」).

``find_shaped_names`` returns candidates ``(start, end, "person", suggestion)`` on the folded text.
"""

from __future__ import annotations

import functools
import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon, dictionary_lines
from anshin_lab.privacy.lint.name_checks import inside_town
from anshin_lab.privacy.lint.tokens import _dictionary, can_be_surname, kana_of, script_of, tokenize

__all__ = ["after_occupation", "find_shaped_names", "name_shaped", "occupations", "office_after_name"]


@functools.lru_cache(maxsize=1)
def occupations() -> tuple[str, ...]:
    """The occupations of ``occupations.txt``, longest first."""
    return tuple(sorted(set(dictionary_lines("occupations.txt")), key=len, reverse=True))


_KANJI = "一-鿿々〆ヶ"
# 「西部庄大容疑者(27)」「無職須原城容疑者 (33)」「山田花子さん(45)」「田中一郎さん45歳」.
_AGED = re.compile(rf"(?<![{_KANJI}])(?P<run>[{_KANJI}]{{2,14}}?)\s?(?:容疑者|被告人|被告|被疑者|受刑者|さん|氏)"
                   r"\s?(?=[(（]\s?(?:当時)?\s?[0-9]{1,3}\s?(?:歳|才)?\s?[)）]|[0-9]{1,3}\s?(?:歳|才))")
# Words of a person that are no name before a title: 「少年容疑者」「男性被告」.
_PEOPLE_WORDS = re.compile(r"^(?:男|女|少年|少女|男性|女性|男子|女子|男児|女児|容疑者|被告|同|元|両|被害者|運転手)")


def find_shaped_names(text: str, tokens, owner, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    """The names the shapes of the module give; ``found`` are the persons already found."""
    out = _aged_in_news(text, lex)
    out += _in_a_row(text, tokens, owner, lex, found + out)
    out += _nicknames(text, tokens, owner)
    out += _claimed(text, tokens, lex)
    out += _stage_names(text, tokens)
    out += _after_labels(text, lex)
    out += _with_role(text, lex)
    out += _listed_before_title(text, tokens, owner, lex)
    out += _bracketed_heads(text, lex)
    out += _heads_after_office(text, lex)
    out += _before_unit_titles(text, tokens, lex)
    out += _suspect_runs(text, lex)
    out += _introductions(text, tokens, owner, lex)
    out += _runs_before_titles(text, tokens, owner, lex)
    out += _listed_after_labels(text, lex)
    out += _spaced_names(text, lex)
    out += _aliases_after_office(text, tokens, owner, lex)
    out += _speakers(text, lex)
    out += _before_police_heads(text, lex)
    out += _names_after_roles(text, tokens, owner, lex)
    return out


def _aged_in_news(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _AGED.finditer(text):
        a, b = m.span("run")
        a = after_occupation(text, a, b)
        if a is None or b - a < 2 or b - a > 5:
            continue
        name = text[a:b]
        if _PEOPLE_WORDS.match(name) or name in lex.not_names or name in lex.generic or name in lex.titles \
                or name in lex.titles_before or name in lex.municipalities:
            continue
        piece = tokenize(name)
        if len(piece) == 1 and piece[0].pos[1] == "普通名詞" and not piece[0].oov and not can_be_surname(name):
            continue  # 「少年」「会社員」: one common word
        if any(t.pos[0] not in ("名詞", "接頭辞", "接尾辞", "副詞", "形状詞", "助動詞") or t.pos[1] == "数詞" for t in piece):
            continue
        out.append((a, b, "person", PERSON_MASK))
    return out


def after_occupation(text: str, a: int, b: int) -> int | None:
    """Where the name in the kanji run text[a:b] starts: after the last occupation in it (「無職|須原城」
    「市立横井小教諭|松野隆司」), or after common words before a family name (「建築|作業員」), else at ``a``."""
    run = text[a:b]
    best = None
    for word in occupations():
        at = run.rfind(word)
        if at >= 0 and (best is None or at + len(word) > best):
            best = at + len(word)
    if best is not None:
        return a + best if best < len(run) else None
    piece = tokenize(run)
    for i, t in enumerate(piece[:-1]):
        if t.pos[1] != "普通名詞" or t.oov:
            break
        nxt = piece[i + 1]
        if nxt.pos[2] == "人名" and nxt.pos[3] == "姓":
            return a + nxt.begin  # 「運送業者|山田太郎」
    return a


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
            if not name_shaped(text[run.start():h], lex):
                continue
            start = run.start()
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


_RUN_BEFORE = re.compile(rf"(?<![{_KANJI}])[{_KANJI}]{{2,8}}$")
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


def _nicknames(text: str, tokens, owner) -> list[tuple]:
    out = []
    for m in _NICKNAME.finditer(text):
        a, b = m.span("name")
        t = tokens[owner[a]]
        if t.begin == a and t.end == b and (t.pos[2] == "人名" or can_be_surname(t.surface)):
            out.append((a, b, "person", PERSON_MASK))
    return out


# 「伊集院と名乗る男」「名前は蓮見だと名乗った」「「名前は長谷川だ」と名乗った」: a name in kanji right before
# the verb of a claim.
_CLAIM_AFTER = re.compile(r"(?:だ|です)?[」』]?\s?(?:と|を|って)\s?(?:名乗|なの|称)")


def _claimed(text: str, tokens, lex: Lexicon) -> list[tuple]:
    """A family or given name (SudachiPy 人名, or a place that is also a family name and no municipality)
    right before 「と名乗る」 that starts a word."""
    out = []
    for k, t in enumerate(tokens):
        if script_of(t.surface[0]) != "kanji" or not (
                (t.person and t.pos[3] in ("姓", "名")) or (t.pos[2] == "地名" and can_be_surname(t.surface))):
            continue  # 「伊集院」 is a place to SudachiPy, and a family name
        if t.begin > 0 and tokens[k - 1].end == t.begin and script_of(text[t.begin - 1]) == "kanji":
            continue  # the end of a longer word
        if _CLAIM_AFTER.match(text, t.end) and t.surface not in lex.not_names and t.surface not in lex.municipalities \
                and t.surface not in lex.municipality_stems:
            out.append((t.begin, t.end, "person", PERSON_MASK))
    return out


# 「上原・砂辺両巡査」「宇土原、栗栖両容疑者」: family names in a row before 両 and the title they share;
# each may carry its age (「池宮悠仁(29)、中村晋弥(41)両容疑者」).
_ROW_AGE = r"(?:\s?[(（]\s?[0-9]{1,3}\s?(?:歳|才)?\s?[)）])?"
_SHARED_TITLE = re.compile(rf"(?P<row>[{_KANJI}]{{1,5}}{_ROW_AGE}(?:[・、]\s?[{_KANJI}]{{1,5}}{_ROW_AGE}){{1,4}})\s?両(?=[{_KANJI}])")
_ROW_ITEM = re.compile(rf"[{_KANJI}]{{1,5}}")


def _listed_before_title(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _SHARED_TITLE.finditer(text):
        title = lex.title_re.match(text, m.end())
        if title is None or lex.titles[title.group()] == "strong":
            continue
        items = [i.span() for i in _ROW_ITEM.finditer(text, m.start("row"), m.end("row"))]
        names = [(a, b) for a, b in items if _row_name(text[a:b], lex)]
        if len(names) == len(items):
            out += [(a, b, "person", PERSON_MASK) for a, b in names]
    return out


def _row_name(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` in a row before a shared title can be a name: it starts with a family name."""
    if name in lex.not_names or name in lex.generic or name in lex.municipalities or name in lex.titles:
        return False
    piece = tokenize(name)
    return bool(piece) and (piece[0].pos[3] == "姓" or can_be_surname(piece[0].surface) or can_be_surname(name))


def _stage_names(text: str, tokens) -> list[tuple]:
    """「テリー伊藤」「ジャガー横田」: a name in katakana glued to a family name (SudachiPy 人名 both); SudachiPy may
    hold a famous one with its role in one token (「伊藤(タレント)」), which the name leaves out."""
    out = []
    for a, b in zip(tokens, tokens[1:]):
        if a.end != b.begin or not (a.person and b.person and b.pos[3] == "姓") or len(a.surface) < 2 \
                or not all(kana_of(ch) == "katakana" for ch in a.surface):
            continue
        cut = b.surface.find("(")
        out.append((a.begin, b.begin + cut if cut > 0 else b.end, "person", PERSON_MASK))
    return out


# 「尾木直樹(教育評論家)」「パックン(タレント)」: a name, then the role the press gives it in brackets.
_ROLE = re.compile(rf"(?<![{_KANJI}ァ-ヺー])(?P<name>[{_KANJI}]{{2,5}}|[ァ-ヺー・]{{3,12}})[(（][^()（）]{{0,12}}?"
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
# for a page, after the label, maybe a unit or a title, at the end of the line or before a bracket.
_LABELLED = re.compile(rf"(?:担当者?|記事|文責|報告者|作成者|記入者|記録者|発信者|執筆者?|問い?合わ?せ先?|連絡先)\s?[:：]?\s?"
                       rf"(?:[{_KANJI}]{{1,10}}(?:課|係|室|部|班|局|署|センター)\s)?(?:(?P<title>[{_KANJI}]{{1,4}})\s)?"
                       rf"(?P<name>[{_KANJI}]{{1,4}})(?=\s*(?:$|\n|[(（]|[、,/／]))")


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


# ---------------------------------------------------------------------------------------------
# Round 7: heads and members named by the office, the unit or the charge around them


# What a word of an office, a company or a group ends with (「鯖江郵便局」「宮古島署」「株式会社ミナト」 is no such
# word, but 「ミナト社」 is).
_OFFICE_END = re.compile(r"(?:署|局|店|社|会|所|校|館|園|院|部|課|庁|場|センター|協会|組合|銀行|本部|支部|団|隊|室|係|班|"
                         r"小|中|高|大学|病院|役場|役所|事務所|クラブ)$")
# What may stand between a head's name and the title it holds: 「田中副署長」「金定副統括局長」「森前会長」.
_TITLE_LEAD = re.compile(r"(?:前|元|現)?(?:副|次|総|統括|総括|代表|筆頭|主任|首席)*")
# ... and, in brackets, the branch a head heads: 「(鹿児島|支社長)」「(平野|本部長)」 leave 支 / 本 out of the name.
_BRANCH_LEAD = re.compile(r"(?:前|元|現)?(?:副|次|総|統括|総括|代表|筆頭|主任|首席)*(?:支|分|本|営業|出張)?")


def _title_at_end(inner: str, lex: Lexicon) -> int | None:
    """Where the longest title at the end of ``inner`` starts (a title of ``person_titles.csv`` of the job
    kind, with 副 / 統括 / 前… before it), leaving two to five characters of name before it."""
    for i in range(2, min(6, len(inner) - 1)):
        rest = inner[i:]
        lead = _BRANCH_LEAD.match(rest)
        title = rest[lead.end():]
        if title and lex.titles.get(title) == "job" and title not in lex.not_names:
            return i
    return None


def name_shaped(name: str, lex: Lexicon, place_ok: bool = False) -> bool:
    """Whether the kanji run ``name``, which the sentence says is a name, may be one: no dictionary word of
    the lint, no common words only (「営業」「生活安全」), no place only (「鹿児島」, unless ``place_ok``)."""
    if not 2 <= len(name) <= 5 or any(script_of(ch) != "kanji" for ch in name):
        return False
    if name in lex.not_names or name in lex.generic or name in lex.titles or name in lex.titles_before \
            or name in lex.municipalities or name[0] in "同当本元前現新旧各全両故某" or _PEOPLE_WORDS.match(name):
        return False
    if any(name.endswith(word) for word in occupations()):
        return False
    piece = tokenize(name)
    if any(t.surface in lex.titles or t.surface in lex.titles_before for t in piece):
        return False  # 「市長|公」 of 「(市長公室長)」: a title inside is no name
    if any(t.pos[0] == "接尾辞" and t.pos[2] != "人名" for t in piece[1:]) and not any(t.person for t in piece):
        return False  # 「暴力団|員」: a word and its suffix
    if all(t.pos[1] == "普通名詞" and not t.oov for t in piece) and not can_be_surname(piece[0].surface) \
            and (len(piece) == 1 or all(len(t.surface) >= 2 for t in piece)):
        return False  # 「営業」「生活|安全」「殺人|未遂」, but 「田畠|一|光」
    if not place_ok and all(t.pos[2] == "地名" for t in piece):
        return False
    return True


# 「鯖江郵便局(田畠一光局長)」「宮古島署(宮城英眞署長)」: a head in brackets right after the office he heads.
_BRACKETED_HEAD = re.compile(rf"(?<=[{_KANJI}ァ-ヺー])[(（](?P<inner>[{_KANJI}]{{3,12}})[)）]")


def _bracketed_heads(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _BRACKETED_HEAD.finditer(text):
        if not _OFFICE_END.search(text, max(0, m.start() - 8), m.start()):
            continue
        cut = _title_at_end(m["inner"], lex)
        if cut is None:
            continue
        a = m.start("inner")
        if name_shaped(text[a:a + cut], lex):
            out.append((a, a + cut, "person", PERSON_MASK))
    return out


# 「西区の粟崎区長」「美作勝山局の田辺礼士局長」「A社の森社長」: the office is named before の, so the word before
# the title that heads it is the head's name, not the place.
_HEAD_AFTER_OFFICE = re.compile(rf"(?P<unit>[区市町村署局店社会部課所館園院校])の(?P<name>[{_KANJI}]{{2,5}}?)"
                                rf"(?P<lead>(?:前|元|現)?(?:副|統括|総括)*)(?P=unit)長")


def _heads_after_office(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _HEAD_AFTER_OFFICE.finditer(text):
        a, b = m.span("name")
        title = m["lead"] + m["unit"] + "長"
        for cut in (2, 1):
            if text[b - cut:b] + title in lex.titles:
                b -= cut  # 「支店の杉山聡|支店長」: the title is longer than 店長
                break
        name = text[a:b]
        if re.search(re.escape(name + m["unit"]) + "(?!長)", text) or not name_shaped(name, lex, place_ok=True):
            continue  # 「西区の北区長」… 「北区」: the head of a place the text names
        out.append((a, b, "person", PERSON_MASK))
    return out


# The end of a title made of a unit and a head or member (「自治会|長」「支部|員」「協議会|長」「地域安全対策|官」).
_UNIT_TITLE_END = ("長", "員", "官")
# A unit word that makes such a title: a group or office (「町内会」「支部」「協議会」), or a job (「指導員」).
_UNIT_WORD = re.compile(r"(?:会|部|局|課|係|班|室|団|隊|所|委員|対策|指導|相談|支援|推進|統括|総括)$")


def _before_unit_titles(text: str, tokens, lex: Lexicon) -> list[tuple]:
    """A family name (SudachiPy 人名,姓, maybe with its 名) at the start of a word, then the title a unit
    makes (「弓削田自治会長」「柳澤支部員」「鈴木協議会長」「石川防犯指導員」)."""
    out = []
    for k, t in enumerate(tokens):
        if t.pos[2] != "人名" or t.pos[3] != "姓" or script_of(t.surface[0]) != "kanji":
            continue
        if k > 0 and tokens[k - 1].end == t.begin and script_of(text[t.begin - 1]) == "kanji":
            continue  # the end of a longer word
        j = k + 1
        # the given name, maybe one SudachiPy reads as another family name (「砂本|安久」)
        while j < len(tokens) and j - k <= 2 and tokens[j].person and tokens[j].pos[3] in ("名", "姓") \
                and tokens[j].begin == tokens[j - 1].end and script_of(tokens[j].surface[0]) == "kanji":
            j += 1
        end = tokens[j - 1].end
        units = []
        # the unit, maybe a place and a department joined by ・ (「天文館・地域安全対策|官」)
        while j < len(tokens) and len(units) < 7 and tokens[j].begin == tokens[j - 1].end and not tokens[j].person \
                and (all(script_of(ch) == "kanji" for ch in tokens[j].surface)
                     or (tokens[j].surface == "・" and units and j + 1 < len(tokens)
                         and script_of(tokens[j + 1].surface[0]) == "kanji")):
            units.append(tokens[j])
            j += 1
            last = units[-1].surface
            whole = "".join(u.surface for u in units)
            if lex.titles.get(whole) == "job" or whole in lex.titles_before:
                break  # a title _find_names reads already
            unit_and_head = len(units) >= 2 and last in _UNIT_TITLE_END and units[-1].pos[0] == "接尾辞" \
                and _UNIT_WORD.search(units[-2].surface)  # 「自治会|長」「支部|員」
            role = len(units) >= 2 and len(last) >= 3 and lex.titles.get(last) == "job"  # 「防犯|指導員」
            if unit_and_head or role:
                glued = j < len(tokens) and tokens[j].begin == tokens[j - 1].end and tokens[j].pos[0] == "接尾辞"
                if not glued and text[t.begin:end] not in lex.not_names:  # else the title goes on into a word
                    out.append((t.begin, end, "person", PERSON_MASK))
                break
    return out


# 「見立真一容疑者」「見立真一被告」: a run of three or four kanji right before the title of a suspect, at the
# start of a word, that is no row of common words (「指名手配容疑者」「殺人未遂容疑者」).
_SUSPECT_RUN = re.compile(rf"(?<![{_KANJI}])(?P<run>[{_KANJI}]{{3,12}}?)(?:容疑者|被告人|被告|被疑者|受刑者)")


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
# he speaks for, at the end of a sentence.
_INTRODUCED = re.compile(rf"(?P<office>[{_KANJI}ァ-ヺー]{{1,12}})の(?P<names>[{_KANJI}]{{1,4}}(?:(?:と|、|・)[{_KANJI}]{{1,4}}){{0,3}})"
                         r"(?P<verb>です|でございます|と申します|と言います|といいます)(?=[。!！\n]|$)")


def _introductions(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _INTRODUCED.finditer(text):
        if not _OFFICE_END.search(m["office"]) and not tokens[owner[m.start("office")]].pos[1] == "固有名詞" \
                and not any(tokens[owner[i]].pos[1] == "固有名詞" for i in range(m.start("office"), m.end("office"))):
            continue  # 「今日の天気です」: not an office
        items = [i.span() for i in re.finditer(rf"[{_KANJI}]{{1,4}}", text[m.start("names"):m.end("names")])]
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
# Round 8: names the tokens do not know, placed by the structure around them


def _can_be_given(word: str) -> bool:
    """Whether SudachiPy's dictionary has ``word`` as a given name (人名,名) among its readings."""
    return bool(word) and any(tuple(m.part_of_speech()[2:4]) == ("人名", "名") for m in _dictionary().lookup(word))


# What may stand right before the name in front of a title: the start of the text, a particle or a verb's end
# (hiragana), punctuation, a space or a bracket (「燕署で9月、水上英俊署長」「同連合会の切金一夫会長」
# 「教育推進部・矢吹明大トレーナー」「説明する川村所長」), never katakana, a letter or a digit (「イワタニ島根社長」).
_RUN_EDGE = re.compile(r"[ぁ-ゖ、。,・･\s」』)）】=＝:：]")
# A reading in brackets between a name and its title: 「切金一夫(きりがねかずお)会長」.
_READING_END = re.compile(r"[(（][ぁ-ゖァ-ヺー・･\s]{2,20}[)）]$")
# An office whose head or member follows it glued, before the title: 「伴交番|平|所長」「北署|田中|副署長」.
# Round 9: also a department (「県民生活部|松本|参事」「総務課|森|主査」).
_OFFICE_IN_RUN = re.compile(r"(?:交番|駐在所|派出所|警察署|署|支店|支社|営業所|事務所|出張所|分隊|支部|本部|分署|部|課|局|室)")
# The end of a word of a unit, an office or a place, never of a name (「三条市|長」「同会|会長」「防犯協会|長」).
_UNIT_OR_PLACE_END = re.compile(r"(?:[会部課局署所市町村区県都府道郡隊班係室団店社館園院校庁省庁]|センター|協会|組合|本部|支部)$")
# What starts a title or says which one, never a name (「同|会長」「前|署長」「副|所長」).
_LEAD_CHARS = set("同当本元前現新旧各全両故某副次総")
# A unit named by its number (「捜査一|課長」「第|二課長」) and a station named after its town and a direction.
_KANJI_NUMERALS = set("一二三四五六七八九十百第")
_DIRECTION_END = re.compile(r"(?:東|西|南|北|中央|東部|西部|南部|北部)$")
_AGE_AFTER = re.compile(r"\s?[(（]\s?(?:当時)?\s?[0-9]{1,3}\s?(?:歳|才)?\s?[)）]")


def _runs_before_titles(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    """A run of kanji between an edge (start, a particle, punctuation, a space, a bracket) and a job title,
    maybe with its reading in brackets, that is no unit, office, place or common word: the name the tokens
    do not know (「燕署で、水上英俊署長が」「同会の切金一夫(きりがねかずお)会長」「説明する川村所長=」). After an
    office glued before it (「伴交番平所長」) the name is what follows the office."""
    # person_titles imports this module, so its names are read here
    from anshin_lab.privacy.lint.person_titles import HEADS_OF_TOWNS, PLACE_OF_HEAD, heads_place
    out = []
    for m in lex.title_re.finditer(text):
        title = m.group()
        h = m.start()
        if lex.titles[title] != "job" or title in HEADS_OF_TOWNS or h < 1:
            continue
        if tokens[owner[h]].begin != h:
            continue  # 「防犯協|会長」: the title starts inside a word
        end = h
        reading = _READING_END.search(text, max(0, h - 22), h)
        if reading is not None:
            end = reading.start()
        start = end
        while start > 0 and end - start < 12 and script_of(text[start - 1]) == "kanji":
            start -= 1
        if start == end or (start > 0 and not _RUN_EDGE.match(text, start - 1)) or end - start >= 12:
            continue
        run = text[start:end]
        office = None
        for o in _OFFICE_IN_RUN.finditer(run):
            if 1 <= len(run) - o.end() <= 3:
                office = o
        if office is not None:
            a = start + office.end()
            name = text[a:end]
            if len(name) == 1:
                if name in _LEAD_CHARS or not can_be_surname(name) or name in lex.not_names:
                    continue
                out.append((a, end, "person", PERSON_MASK))
                continue
        else:
            a = start
            name = run
            office_after = office_after_name(text, run, PLACE_OF_HEAD.get(title), lex)
            if office_after is not None:
                end = start + office_after  # 「村田隆|県警本部長」「黒沢毅|双葉署長」: the office the head heads
                name = text[a:end]
        if len(name) == 1 and office is None and start == a and _one_kanji_surname(text, a, h, title, lex):
            out.append((a, end, "person", PERSON_MASK))  # 「畑所長」「福会長」: a family name of one kanji, alone
            continue
        if not 2 <= len(name) <= 5 or name[0] in _LEAD_CHARS or name[-1] == "両" \
                or (_UNIT_OR_PLACE_END.search(name) and not can_be_surname(name)):
            continue  # 「同会|会長」「三条市|長」, but 「阿部|署長」
        direction = _DIRECTION_END.search(name)
        after_unit = office is not None and title not in PLACE_OF_HEAD  # 「県民生活部|松本|参事」: a name, not a town
        if (name in lex.municipality_stems and not after_unit) \
                or (direction and (direction.start() == 0 or name[:direction.start()] in lex.municipality_stems)):
            continue  # 「今治|署長」「松山東|署長」「鹿児島中央|署長」「西部|支店長」: a station or branch named after its town
        piece = tokenize(name)
        if any("サ変" in t.pos[2] and not t.person for t in piece) or name[-1] in _KANJI_NUMERALS:
            continue  # 「捜査一|課長」「防犯|部長」: a unit named by its work or number
        if reading is not None and office is None and len(name) >= 3 and _plain_name(name, lex):
            out.append((a, end, "person", PERSON_MASK))  # 「切金一夫(きりがねかずお)会長」: a reading spells a name
            continue
        if not name_shaped(name, lex, place_ok=True):
            continue
        places = all(t.pos[2] == "地名" for t in piece)
        if places and (len(piece) > 1 or not can_be_surname(name)):
            continue  # 「鹿児島中央支店長」: a place
        if len(name) == 2 and not (can_be_surname(name) or piece[0].person or piece[0].oov):
            continue
        if len(name) >= 3 and not (any(t.person or t.oov for t in piece) or any(
                can_be_surname(name[:i]) and (_can_be_given(name[i:]) or (len(name) - i >= 2 and not _common_word(name[i:])))
                for i in range(1, len(name)))):
            continue  # a full name: a family name the dictionary knows, then a given name or no common word
        # one word that names a town or a part (「天神|所長」「西部|支店長」) is the unit a head heads, unless an age
        # says a person is meant (「宮下会長(82)」)
        # (round 9: a common word that is also a family name is the head's name, 「植木所長」「馬場所長」, unless the text
        # names that unit, which ``heads_place`` reads)
        unit = len(piece) == 1 and ((piece[0].pos[1] == "普通名詞" and not can_be_surname(name))
                                    or (places and inside_town(text, a, end)))
        if title in PLACE_OF_HEAD and (heads_place(text, a, h, title)
                                              or (unit and not _AGE_AFTER.match(text, m.end()))):
            continue  # 「谷山署長」 of 谷山署
        out.append((a, end, "person", PERSON_MASK))
    return out


def _one_kanji_surname(text: str, a: int, h: int, title: str, lex: Lexicon) -> bool:
    """Whether the one kanji text[a] right before the title at ``h`` (and after an edge) is a family name: the dictionary
    has it as one, and it is no lead of a title (「同|会長」「副|所長」), numeral, direction, unit or municipality, and the
    text names no office after it (「畑所」); a station's title (署長, 署員) takes no one-kanji name (「燕署員」)."""
    from anshin_lab.privacy.lint.person_titles import heads_place  # person_titles imports this module
    name = text[a:h]
    if h != a + 1 or name in _LEAD_CHARS or name in _KANJI_NUMERALS or _UNIT_OR_PLACE_END.search(name) or name in "東西南北中上下" \
            or name in lex.not_names or name in lex.generic or not can_be_surname(name):
        return False
    if title.startswith("署") or any(name + kind in lex.municipalities for kind in "市町村区"):
        return False  # 「燕署員」「燕署長」: the station of 燕市
    return not heads_place(text, a, h, title)


# An office or place that a head's title may carry between the name and itself: 「県警本部長」「市教育長」.
_OFFICE_TAIL = re.compile(r"(?:県警|府警|道警|警視庁|警察|県|府|都|道|市|町|村|区)$")


def office_after_name(text: str, run: str, place: str | None, lex: Lexicon) -> int | None:
    """Where the name in ``run`` ends when the office or place its title heads follows it in the run (「村田隆|県警」
    before 本部長, 「黒沢毅|双葉」 before 署長 when the text names 双葉署): the first cut that leaves a full name (three
    kanji or more) before a tail that is such an office or the place the text names with ``place``, the
    title's office (``person_titles.PLACE_OF_HEAD``)."""
    for cut in range(3, len(run) - 1):
        tail = run[cut:]
        if _OFFICE_TAIL.search(tail) or (place and re.search(re.escape(tail) + r"(?:警察)?" + re.escape(place) + "(?!長)", text)):
            return cut
    return None


def _plain_name(name: str, lex: Lexicon) -> bool:
    """Whether the kanji run ``name`` is no word of the lint's dictionaries, unit, place or occupation."""
    return not (name in lex.not_names or name in lex.generic or name in lex.titles or name in lex.titles_before
                or name in lex.municipalities or _PEOPLE_WORDS.match(name) or any(name.endswith(w) for w in occupations()))


def _common_word(word: str) -> bool:
    """Whether ``word`` is one common word SudachiPy knows (「営業」「生活安全」 after a family name is the unit)."""
    piece = tokenize(word)
    return all(t.pos[1] == "普通名詞" and not t.oov for t in piece) and len(word) >= 2


# 「担当者:小林、寺崎、西津」「担当者名:平田・建部」「防犯リーダー 宮本・増田」: a label of who answers or leads, then
# family names in a list to the end of the line.
_LIST_LABEL = re.compile(rf"(?:担当者?名?|代表者名?|責任者名?|連絡先氏名|氏名|リーダー|講師|説明者|発表者|取材者|対応者)"
                         rf"\s?(?:[:：]\s?|\s)(?P<list>[{_KANJI}]{{1,4}}(?:\s?[、・･,，/／]\s?[{_KANJI}]{{1,4}}){{0,6}})"
                         r"(?=\s*(?:$|\n|[(（。]))")
_LIST_ITEM = re.compile(rf"[{_KANJI}]{{1,4}}")


def _listed_after_labels(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _LIST_LABEL.finditer(text):
        items = [i.span() for i in _LIST_ITEM.finditer(text, m.start("list"), m.end("list"))]
        names = []
        for a, b in items:
            name = text[a:b]
            if name in lex.not_names or name in lex.generic or name in lex.titles or name in lex.titles_before \
                    or name in lex.municipalities or (_UNIT_OR_PLACE_END.search(name) and not can_be_surname(name)):
                break  # 「建部」「阿部」 end in 部 and are family names
            piece = tokenize(name)
            if not (can_be_surname(name) or (len(piece) == 1 and piece[0].person)
                    or (piece and piece[0].pos[3] == "姓" and len(name) >= 3)):
                break
            names.append((a, b, "person", PERSON_MASK))
        else:
            out += names  # every item a name, or none
    return out


# 「消費者安全課長 鶴ヶ崎 徹」「取締役 藤田 毎 幸」: a name after a title, its parts set apart by spaces, to the end of
# the line or a bracket; the parts are one name.
# Round 9: the given name may be in kana (「防犯協会長 日根野 サエコ」「会長 富竹 こじろう」).
_SPACED_NAME = re.compile(rf"(?P<name>[{_KANJI}]{{1,3}}(?:[ \u3000](?:[{_KANJI}]{{1,3}}|[ぁ-ゖ]{{2,5}}|[ァ-ヺー]{{2,6}})){{1,2}})"
                          r"(?=\s*(?:$|\n|[()（）」』】、。,]))")


def _spaced_names(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in lex.title_before_re.finditer(text):
        at = m.end()
        if at >= len(text) or text[at] not in " \u3000":
            continue
        s = _SPACED_NAME.match(text, at + 1)
        if s is None:
            continue
        parts = s["name"].split()
        if not 2 <= sum(map(len, parts)) <= 8 or lex.title_re.fullmatch(parts[-1]) or parts[0] in lex.titles \
                or any(p in lex.not_names or p in lex.generic or p in lex.titles_before for p in parts):
            continue
        head = tokenize(parts[0])
        given = tokenize(parts[-1])
        if not (can_be_surname(parts[0]) or (head and head[0].pos[3] == "姓") or can_be_surname(parts[0].replace("ヶ", ""))
                or (len(parts) == 2 and _given_shaped(parts[1], given) and not _common_word(parts[0])
                    and all(t.pos[0] in ("名詞", "接頭辞") and t.pos[1] != "数詞" for t in head))):
            continue  # round 9: a family name the dictionary does not know (「富家 優」), when a given name follows
        out.append((*s.span("name"), "person", PERSON_MASK))
    return out


def _given_shaped(part: str, piece) -> bool:
    """Whether ``part`` after a spaced family name reads as a given name: SudachiPy's 人名,名, or kana that is no
    word of a particle or verb, or one to three kanji that are no common word of two kanji or more."""
    if any(t.person and t.pos[3] == "名" for t in piece) or _can_be_given(part):
        return True
    if script_of(part[0]) in ("hiragana", "katakana"):
        return not any(t.pos[0] in ("助詞", "助動詞", "動詞") for t in piece)
    return len(part) == 1 or not _common_word(part)


# ---------------------------------------------------------------------------------------------
# Round 9: the alias a caller claims after whom he says he works for


@functools.lru_cache(maxsize=1)
def _staff_words() -> frozenset[str]:
    """Who a fraud caller claims to be (``claims.csv``, role staff: 職員, 店員, 担当者…): a role, never an alias."""
    rows = [line.split(",") for line in dictionary_lines("claims.csv")[1:]]
    return frozenset(r[0] for r in rows if len(r) == 2 and r[1] == "staff")


# 「警察官の畠中を名乗る男」「【警視庁のモトハシ】を名乗る」「保険課のやまだと称する」「銀行協会の竹村を装う」: the word
# between 「の」 and the verb of a claim, in one script, right after whom the caller says he works for.
_ALIAS = re.compile(rf"(?<![ぁ-ゖ])の(?P<alias>[{_KANJI}]{{1,5}}|[ぁ-ゖ]{{2,6}}|[ァ-ヺー]{{2,8}})[」』】]?\s?"
                    r"(?:と|って|を)\s?(?P<verb>名乗|なの|名の|称|かた|騙|装)")
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
        if m["verb"] in ("名乗", "なの", "名の", "称") and alias not in lex.municipalities and not _PEOPLE_WORDS.match(alias) \
                and alias[0] not in _LEAD_CHARS and all(t.pos[1] in ("普通名詞", "固有名詞") for t in piece):
            out.append((a, b, "person", PERSON_MASK))  # 「警察官の文月を名乗る」: a word, claimed as a name
    return out


# Round 9: who speaks or signs, at the start of a line: 「清宮 自治会防犯防災部長「…」」「斎藤 事務局長「…」」
# 「- 細堀 清(三島町防犯連絡会会長)」: a name, then a space and the office and title he speaks for, or that office
# and title in brackets; and a transcript's speaker after its mark 「◯種部警察本部長」「○山田委員」.
_LINE_START = r"(?:^|(?<=\n))[ \u3000\t\-－–—・･*●○◯◎■□◆◇▼▽]*"
_SPEAKER = re.compile(_LINE_START + rf"(?P<name>[{_KANJI}]{{1,4}}(?:[ \u3000][{_KANJI}]{{1,3}})?)"
                      rf"(?:[ \u3000](?P<office>[{_KANJI}・･]{{1,18}})(?=[「『:：\s]|$)"
                      r"|\s?[(（](?P<inner>[^()（）\n]{1,24})[)）](?=\s*(?:$|\n|[、。,]))|(?P<quote>[「『]))")
_TRANSCRIPT = re.compile(r"(?:^|(?<=\n))\s*[◯○〇◎]\s?(?P<run>[" + _KANJI + r"]{2,14})(?=[ \u3000\n]|$)")


def _ends_in_job(words: str, lex: Lexicon) -> bool:
    """Whether ``words`` (an office and a title) ends with a job title of ``person_titles.csv``."""
    return any(lex.titles.get(words[i:]) == "job" for i in range(len(words)))


def _speaker_name(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` (a family name, maybe a space and a given name) starting a line can be a person's."""
    parts = name.split()
    family = parts[0]
    if any(p in lex.not_names or p in lex.generic or p in lex.titles or p in lex.titles_before or p in lex.municipalities
           for p in parts) or family[0] in _LEAD_CHARS:
        return False
    if _UNIT_OR_PLACE_END.search(family) and not can_be_surname(family):
        return False  # 「生活安全課 田中課長」: a unit, not a name
    head = tokenize(family)
    return can_be_surname(family) or bool(head and head[0].pos[3] == "姓") \
        or (len(parts) == 2 and name_shaped(family + parts[1], lex, place_ok=True))


def _speakers(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _SPEAKER.finditer(text):
        words = m["office"] or (m["inner"] or "").strip()
        if m["quote"] is None and not _ends_in_job(words, lex):
            continue
        if m["quote"] is not None and " " not in m["name"] and "\u3000" not in m["name"]:
            continue  # 「田中「…」」 needs the office: a word before a quote is no speaker alone
        if _speaker_name(m["name"], lex):
            out.append((*m.span("name"), "person", PERSON_MASK))
    for m in _TRANSCRIPT.finditer(text):
        run = m["run"]
        title = next((i for i in range(len(run)) if lex.titles.get(run[i:]) == "job"), None)
        if title is None:
            continue
        for cut in (2, 3, 1):
            rest = run[cut:title]
            if cut <= title and can_be_surname(run[:cut]) and (not rest or _OFFICE_TAIL.search(rest)
                                                               or _UNIT_OR_PLACE_END.search(rest)):
                out.append((m.start("run"), m.start("run") + cut, "person", PERSON_MASK))
                break
    return out


# 「鈴木警察本部長」「会田蕨警察署長」「岩岡藤沢警察署長」: a family name of two or three kanji glued before the police's
# head title, maybe with the municipality the station is named after between them (SudachiPy reads 警察署|長 and
# 警察本部長 as words, so the title starts inside one).
_POLICE_HEAD = re.compile(rf"(?<![{_KANJI}])(?P<run>[{_KANJI}]{{2,7}}?)警察(?:署長|署副署長|本部長)")


def _before_police_heads(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _POLICE_HEAD.finditer(text):
        run = m["run"]
        for cut in (2, 3):
            name, town = run[:cut], run[cut:]
            if len(name) < cut or not can_be_surname(name) or name in lex.municipality_stems or name in lex.municipalities \
                    or name[0] in _LEAD_CHARS or name in lex.not_names:
                continue
            if not town or town in lex.municipality_stems or any(town + kind in lex.municipalities for kind in "市町村区"):
                out.append((m.start("run"), m.start("run") + cut, "person", PERSON_MASK))
                break
    return out


# 「店員の星さん」「職員の一戸さんが」「担当の仲さん」: after a role (``claims.csv`` staff, a title or an occupation) and
# 「の」, the word before さん / 氏 is the person's family name, even one SudachiPy reads as a common word or a place;
# only words of family, people and roles are none (「店員の奥さん」「職員の皆さん」「店員の息子さん」).
_AFTER_ROLE = re.compile(rf"(?<![{_KANJI}])(?P<role>[{_KANJI}]{{1,8}})の(?P<name>[{_KANJI}]{{1,3}})(?=さん|氏|様)")


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
        if _PEOPLE_WORDS.match(name) or name in _staff_words() or name in occupations() or name in lex.titles_before \
                or name[0] in _LEAD_CHARS:
            continue  # 「店員の女性さん」「社員の店員さん」「店員の同僚さん」
        out.append((a, b, "person", PERSON_MASK))
    return out
