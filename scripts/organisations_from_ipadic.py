"""Write the lint's organisation gazetteer from IPAdic's list of organisation names.

Firms, media and banks are often named with no kind word (「中国電力」「不二家」「毎日新聞」), so the lint's
facility rules cannot see them. IPAdic (mecab-ipadic 2.7.0-20070801, Debian package ``mecab-ipadic``) ships
``Noun.org.csv``, 16,668 entries tagged 名詞,固有名詞,組織. This script keeps those that name a firm, a bank, a
media outlet, a school, a hospital or a plant and drops what would be a false alarm in alert text:

- ``short``: two characters or fewer (「中央」「山大」), Latin initials of three capitals or more stay (NHK, NTT);
- ``latin``: other Latin spellings (「Kiss」「EU」) and international bodies in initials (NATO, IOC);
- ``government``: ministries, agencies, courts, the police, tax and labour offices, public corporations, armed
  forces (〜省, 〜庁, 裁判所, 公安, 教委, 〜署, 〜局 but 放送局/郵便局/薬局): an office a caller claims is clean;
- ``body``: parties, unions, associations, foundations, clubs and religious bodies (〜党, 〜会 but 〜商会,
  〜協会, 〜連盟, 〜連合, 〜組合 but 信用組合/協同組合, 〜財団, 〜倶楽部, 〜リーグ, 〜赤十字(社), 〜共済): clean by the labelling
  convention;
- ``syndicate``: crime syndicates (「山口組」「山健組」「会津小鉄」): the police name them as the groups they are, no
  place (round 59 of issue 14; IPAdic's other 〜組 are builders, and 〜会 are bodies already);
- ``railway``: the JR companies (「JR東日本」), each the railway of a whole region, no place;
- ``team``: professional sports teams (a place or firm, then a team nickname that is itself an entry:
  「阪神タイガース」, or a J-League / NPB nickname shape);
- ``place``: a place name of IPAdic (``Noun.place.csv``) or a municipality of the lint (``municipalities.txt``)
  or its stem (「松山」), or a word SudachiPy reads as one place name (「名古屋」「いわき」);
- ``surname``: a person's name of IPAdic (``Noun.name.csv``: 「佐藤」), or a family name's reading in katakana
  (「ホンダ」「ミズノ」「タナカ」: a caller's alias or a brand of cars and clothes far more often than a firm);
- ``everyday``: a word of IPAdic's other noun lists (``Noun.csv``, ``Noun.adverbal.csv``, …: 「コンビ」);
- ``common``: SudachiPy (core dictionary, mode C) reads the name as one token that is no proper noun.

A newspaper or news agency listed as a company (「京都新聞社」「時事通信社」) is also written without 社
(「京都新聞」): both are kept. Every name is NFKC-normalised (「ＮＨＫ」 → 「NHK」). The lint matches a name only as a whole run of SudachiPy
tokens (``organisations.py``), never inside a word.

Run by hand, never at run time or in CI (the output is committed):

    apt-get download mecab-ipadic && dpkg -x mecab-ipadic_*.deb /tmp/ipadic/x
    .venv/bin/python scripts/organisations_from_ipadic.py /tmp/ipadic/x [--report]

``--report`` prints how many entries each filter dropped. It writes
``anshin_lab/privacy/lint/dictionaries/organisations.txt`` (a header, then one name a line).
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DICTIONARIES = ROOT / "anshin_lab" / "privacy" / "lint" / "dictionaries"
OUT = DICTIONARIES / "organisations.txt"
IPADIC_DIR = Path("usr/share/mecab/dic/ipadic")
VERSION = "mecab-ipadic 2.7.0-20070801 (Debian package mecab-ipadic 2.7.0-20070801+main-3)"

# Lists of IPAdic whose entries are everyday words, not names (org, place, name and proper nouns are read apart).
_EVERYDAY_LISTS = ("Noun.csv", "Noun.adverbal.csv", "Noun.verbal.csv", "Noun.adjv.csv", "Noun.nai.csv",
                   "Noun.demonst.csv", "Noun.number.csv", "Noun.others.csv", "Adverb.csv", "Adj.csv", "Verb.csv",
                   "Interjection.csv", "Conjunction.csv", "Adnominal.csv")

_CAPITALS = re.compile(r"[A-Z][A-Z0-9&]{2,}")
# A newspaper's or a news agency's company name, written without 社 as often as with it.
_PAPER_COMPANY = re.compile(r"(?:新聞|通信|日報|新報|民報|タイムス)社$")
_KATAKANA = re.compile(r"[ァ-ヺー]+")
_LATIN = re.compile(r"[A-Za-z0-9&.\-・' ]+")
# International and foreign public bodies written in initials: governments' and treaties' bodies, not firms; and a
# federation's initials (round 129: 「JAF」, the 日本自動車連盟, clean in the real sets ten times of ten).
_LATIN_BODIES = re.compile(r"(?:NATO|JAF|IOC|JOC|UNEP|OSCE|FRB|FOMC|GHQ|IMF|OECD|OPEC|ASEAN|APEC|WHO|UN[A-Z]+|MNLF|RPF"
                           r"|RCMP|PNP|NOC|CIS|ITTF|IBF|NBA|EU|G\d+)")
_GOVERNMENT = re.compile(r"(?:省|庁|公安|教委|裁判所|検察|警察|県警|府警|道警|署|(?<!放送)(?<!郵便)(?<!薬)局|委員会|議会|議院|国会|政府"
                         r"|公団|事業団|公庫|機構|軍|隊|本部|事務所|役所|役場|市庁|町|村|県|府|都|州|国)$"
                         r"|^(?:国立|国際|国連|日本国)|(?:警察|公安|検察|裁判)")
_BODY = re.compile(r"(?:(?<!商)会|党|連|連合|連盟|(?<!信用)(?<!協同)組合|労組|教組|財団|教団|団|倶楽部|クラブ|同盟|戦線|協議会|学会|議連|会議|フォーラム"
                   r"|基金|ネットワーク|センター|研究所|研究会|振興会|リーグ|赤十字社?|共済|労済)$")  # (round 54 of issue 14: 「Jリーグ」;
# round 112: 「日本赤十字社」「赤十字」, a humanitarian body the real sets label clean, four times of four; round 129:
# mutual aid bodies, 「全労済」「たいよう共済」, which the real sets label clean: 〜共済 125 times of 139, 全労済 7 of 7)
# Crime syndicates IPAdic lists as organisations (the 指定暴力団 and their groups named 〜組 or with no kind word).
_SYNDICATES = frozenset(("山口組", "山健組", "会津小鉄"))
# The JR companies, each the railway of a whole region (round 27 of issue 14: the real sets label them clean, the
# station being the place).
_RAILWAY_GROUP = re.compile(r"JR(?:東日本|西日本|東海|九州|北海道|四国|貨物)")
# Nicknames of Japanese professional baseball and football teams end in a plural -s written ズ/ス/ツ or in a
# few shapes of their own (カープ, レッズ); a team is such a nickname after a place or a sponsor.
_TEAM_TAIL = re.compile(r"[ァ-ヺー]{2,}(?:ズ|ス|ツ|プ|ーレ|ーナ)$")


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    text = raw.decode("euc_jp", errors="strict") if not _is_utf8(raw) else raw.decode("utf-8")
    return [line.split(",") for line in text.splitlines() if line.strip()]


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _nfkc(word: str) -> str:
    return unicodedata.normalize("NFKC", word).strip()


def _surfaces(directory: Path, names) -> set[str]:
    out = set()
    for name in names:
        path = directory / name
        if path.exists():
            out |= {_nfkc(row[0]) for row in _read_csv(path)}
    return out


def _municipalities() -> tuple[set[str], set[str]]:
    lines = [line.strip() for line in (DICTIONARIES / "municipalities.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return set(lines), {m[:-1] for m in lines if len(m) >= 3}


def _surname_readings(directory: Path) -> set[str]:
    """The readings in katakana of IPAdic's family names (人名,姓)."""
    return {row[11] for row in _read_csv(directory / "Noun.name.csv") if len(row) > 11 and row[7] == "姓"}


def _sudachi_common():
    """Tests of whether SudachiPy reads a word as one token that is no proper noun, or as one place name."""
    from sudachipy import Dictionary, SplitMode

    tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)

    def common(word: str) -> bool:
        tokens = tokenizer.tokenize(word)
        return len(tokens) == 1 and tokens[0].part_of_speech()[1] != "固有名詞" and not tokens[0].is_oov()

    def place(word: str) -> bool:
        tokens = tokenizer.tokenize(word)
        return len(tokens) == 1 and tokens[0].part_of_speech()[2] == "地名"

    return common, place


def classify(directory: Path) -> dict[str, str]:
    """Each NFKC-normalised name of ``Noun.org.csv`` and the first filter that drops it ("" when kept)."""
    dic = directory / IPADIC_DIR
    orgs = sorted({_nfkc(row[0]) for row in _read_csv(dic / "Noun.org.csv")})
    org_set = set(orgs)
    places = _surfaces(dic, ("Noun.place.csv",))
    municipalities, stems = _municipalities()
    surnames = _surfaces(dic, ("Noun.name.csv",))
    everyday = _surfaces(dic, _EVERYDAY_LISTS)
    readings = _surname_readings(dic)
    common, sudachi_place = _sudachi_common()
    out = {}
    for name in orgs:
        latin = _LATIN.fullmatch(name) is not None
        if len(name) <= 2:
            reason = "short"
        elif latin and (not _CAPITALS.fullmatch(name) or _LATIN_BODIES.fullmatch(name)):
            reason = "latin"
        elif _GOVERNMENT.search(name):
            reason = "government"
        elif _BODY.search(name):
            reason = "body"
        elif name in _SYNDICATES:
            reason = "syndicate"
        elif _RAILWAY_GROUP.match(name):
            reason = "railway"
        elif _is_team(name, org_set, places):
            reason = "team"
        elif name in places or name in municipalities or name in stems or sudachi_place(name):
            reason = "place"
        elif name in surnames or _KATAKANA.fullmatch(name) and name in readings:
            reason = "surname"
        elif name in everyday:
            reason = "everyday"
        elif not latin and common(name):
            reason = "common"
        else:
            reason = ""
        out[name] = reason
    return out


def _is_team(name: str, orgs: set[str], places: set[str]) -> bool:
    """「阪神タイガース」「浦和レッズ」: a team nickname (itself an entry, or a plural -s after a place) after a place
    or a sponsor."""
    m = _TEAM_TAIL.search(name)
    if m is None or m.start() == 0:
        return False
    head, tail = name[:m.start()], m.group()
    return tail in orgs or (head in places and tail.endswith("ズ"))


HEADER = """\
# Organisations named with no kind word (firms, banks, media, schools, hospitals, plants): the lint withholds
# them as facilities when they stand as a whole run of SudachiPy tokens (organisations.py).
# Source: IPAdic's Noun.org.csv (名詞,固有名詞,組織), {version}, NAIST/ICOT licence: see organisations.LICENSE.
# Names NFKC-normalised. Filters (scripts/organisations_from_ipadic.py): dropped are names of two characters or
# fewer (Latin capitals of three or more stay), other Latin spellings and international bodies, government,
# police, courts, ministries, agencies and public corporations, parties, unions, associations and foundations,
# crime syndicates, the JR companies, sports teams, IPAdic's place names, the lint's municipalities and
# SudachiPy's place names, IPAdic's person names and family names' katakana readings, IPAdic's everyday words
# and what SudachiPy reads as one common word. Kept {kept} of {total} entries; a newspaper's company name
# (〜新聞社, 〜通信社, 〜日報社…) is also listed without 社.
# Regenerate by hand (never at run time or in CI):
#   apt-get download mecab-ipadic && dpkg -x mecab-ipadic_*.deb /tmp/ipadic/x
#   .venv/bin/python scripts/organisations_from_ipadic.py /tmp/ipadic/x
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the directory dpkg -x unpacked mecab-ipadic into")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--report", action="store_true", help="print how many entries each filter dropped")
    args = parser.parse_args(argv)
    if not (args.root / IPADIC_DIR / "Noun.org.csv").exists():
        print(f"{args.root / IPADIC_DIR / 'Noun.org.csv'} がありません", file=sys.stderr)
        return 2
    reasons = classify(args.root)
    kept = sorted({n for n, r in reasons.items() if not r} | {n[:-1] for n, r in reasons.items() if not r
                                                                and _PAPER_COMPANY.search(n) and len(n) >= 5})
    if args.report:
        for reason, count in collections.Counter(r or "kept" for r in reasons.values()).most_common():
            print(f"{reason}\t{count}")
    args.out.write_text(HEADER.format(version=VERSION, kept=len(kept), total=len(reasons)) + "\n".join(kept) + "\n",
                        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
