"""Person names by the structure of the sentence around them (issue 14, round 7): a head in brackets after his
office, a head after 「<office>の」, titles a unit makes (「自治会長」「支部員」), a suspect whose family name is a
common word, names with ages before 両 and a shared title, self-introductions, a byline of one family name, a
name with its reading in one word; and the guard that a police station is never a person.

Every sentence and name here is written for these tests; none is in ``tests/data/real_alerts``.
"""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _persons(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "person"]


FOUND = [
    # a head in brackets right after the office he heads
    ("県警は大川内郵便局(江藤実局長)に感謝状を贈った。", ["江藤実"]),
    ("信用金庫(岩本支店長)と協定を結んだ。", ["岩本"]),
    ("八重瀬署(宮城政眞署長)は3日、", ["宮城政眞"]),
    ("舞鶴信用金庫(田畠孝光支店長)と連携した。", ["田畠孝光"]),
    ("市内のコンビニを運営する会社(大貫宗一副社長)に感謝状を贈った。", ["大貫宗一"]),
    # a head after 「<office>の」: the word before the title is the head, not the place
    ("式では南区の栗林区長があいさつした。", ["栗林"]),
    ("湯川局の長嶺俊彦局長が出席した。", ["長嶺俊彦"]),
    ("駅前支店の杉浦聡支店長が受け取った。", ["杉浦聡"]),
    # titles a unit makes, after a family name
    ("野々村自治会長以下役員5名が参加した。", ["野々村"]),
    ("講話は片桐支部員が担当した。", ["片桐"]),
    ("最後に横山協議会長があいさつした。", ["横山"]),
    ("開会では杉浦町内会長が述べた。", ["杉浦"]),
    ("同署の江口晴久中央・地域安全対策官が説明した。", ["江口晴久"]),
    # an office between a full name and the title is no part of the name
    ("島袋健一警察庁長官は会見で述べた。", ["島袋健一"]),
    # a suspect whose family name is a common word, the given name cut by the tokenizer
    ("関与したとされる見立健一容疑者は逃走中だ。", ["見立健一"]),
    # names with their ages before 両 and the title they share
    ("警察は堀江悠仁(31)、大友晋弥(44)両容疑者を手配した。", ["堀江悠仁", "(31)", "大友晋弥", "(44)"]),
    # who introduces himself by the office he speaks for
    ("ケアプラザ西浦の楢崎と松原です。", ["楢崎", "松原"]),
    # a photo caption: where each stands, between two titled names in a row
    ("感謝状を受け取る米倉健司店長(右)と沢渡一光副店長(左)", ["米倉健司", "沢渡一光"]),
    # ... but a unit of common words in the row is no second name
    ("山本会長と生活安全部長が出席した。", ["山本"]),
    ("生活安全課の森と申します。", ["森"]),
    # a foreign name of four parts is one name
    ("警察はカリミ・ソルタニー・ハサン・ラフマン容疑者(48)を手配した。", ["カリミ・ソルタニー・ハサン・ラフマン", "(48)"]),
    # a byline of one family name, alone in brackets
    ("(西村)", ["西村"]),
    # a name with its reading in one word, before a title
    ("保護した鶴巻清道(つるまききよみち)さん(68)に感謝状を贈った。", ["鶴巻清道", "(つるまききよみち)", "(68)"]),
]


@pytest.mark.parametrize(("text", "names"), FOUND)
def test_shape_finds_the_name(text, names):
    assert _persons(text) == names


CLEAN = [
    # a police station or post is never a person
    "訓練は杵築日出警察署が中央の園で行った。",
    "金沢東署と協会の役員がチラシを配った。",
    "相川駐在署員の3名が講話をした。",
    # a police service named after its mascot
    "南署が「まもる君の安心メール」で呼びかけた。",
    # brackets after an office that hold a title, not a name
    "同社(営業部長)が説明した。",
    "本部(生活安全課長)が出席した。",
    "市役所(市長公室長)が説明した。",
    "九州電力(鹿児島支社長)が出席した。",
    # a head of the place the text names
    "西区の北区長があいさつした。",
    # a charge or an act before 容疑者 is no name
    "殺人未遂容疑者の身柄を移した。",
    "暴力団員容疑者が逃走した。",
    # 「…の…です」 that introduces nobody
    "今日の天気です。",
    "東京の観光名所です。",
    "集合場所は中央署の前です。",
    # a bracketed word that is no family name
    "(写真)",
    "(東京)",
]


@pytest.mark.parametrize("text", CLEAN)
def test_no_person(text):
    assert _persons(text) == []


# What the round-7 shapes alone must not read as a name (the learned detector after the rules is scored apart).
SHAPES_CLEAN = [
    "無免許容疑者を送検した。",
    "指名手配容疑者が潜んでいる。",
    "未成年容疑者の身柄を移した。",
]


@pytest.mark.parametrize("text", SHAPES_CLEAN)
def test_shapes_read_no_name(text):
    from anshin_lab.privacy.lint.lexicon import load_lexicon
    from anshin_lab.privacy.lint.person_shapes import find_shaped_names
    from anshin_lab.privacy.lint.tokens import token_owners, tokenize

    tokens = tokenize(text)
    assert find_shaped_names(text, tokens, token_owners(tokens, len(text)), load_lexicon(), []) == []
