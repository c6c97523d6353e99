"""The alert-text lint: the labelled corpus, one example per rule, and properties on generated alerts."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from anshin_lab.places import address
from anshin_lab.core.errors import DataError
from anshin_lab.privacy.lint import KINDS, Finding, evaluate, lint, scrub

CORPUS = Path(__file__).parent / "data" / "lint_corpus.jsonl"


def kinds_and_texts(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text)]


# ---------------------------------------------------------------------------------------------
# The labelled corpus (tests/data/lint_corpus.jsonl, written without looking at the lint)


@pytest.fixture(scope="module")
def corpus_figures():
    if not CORPUS.exists():
        pytest.skip("tests/data/lint_corpus.jsonl is not there")
    return evaluate(CORPUS)


def test_corpus_recall_and_clean_false_positives_meet_the_targets(corpus_figures):
    figures = corpus_figures
    missed = [e for e in figures["errors"] if e["type"] == "fn"]
    assert figures["overall"]["recall"] >= 0.95, missed
    assert figures["clean_fp_rate"] <= 0.05, [e for e in figures["errors"] if e["type"] == "fp"]


def test_corpus_figures_cover_every_kind(corpus_figures):
    assert set(corpus_figures["kinds"]) == set(KINDS)
    for kind, figures in corpus_figures["kinds"].items():
        assert figures["tp"] + figures["fn"] > 0, kind
        assert 0.0 <= figures["precision"] <= 1.0 and 0.0 <= figures["recall"] <= 1.0
    assert corpus_figures["clean_sentences"] > 100


def test_corpus_offsets_and_scrub(corpus_figures):
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        findings = lint(text)
        for f in findings:
            assert text[f.start:f.end] == f.text
        assert lint(scrub(text)[0]) == [], text


def test_evaluate_counts_overlapping_spans_of_the_same_kind(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    rows = [
        {"text": "山下小学校付近で男が声をかけました。", "findings": [{"kind": "facility", "text": "山下小学校付近"}]},
        {"text": "男は駅付近で目撃されました。", "findings": []},
        {"text": "099-123-4567に電話してください。", "findings": [{"kind": "person", "text": "099-123-4567"}]},
    ]
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    figures = evaluate(corpus)
    assert figures["kinds"]["facility"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0}
    assert figures["kinds"]["person"]["fn"] == 1 and figures["kinds"]["phone"]["fp"] == 1
    assert figures["clean_sentences"] == 1 and figures["clean_fp_rate"] == 0.0
    assert figures["overall"]["tp"] == 1 and figures["overall"]["recall"] == 0.5


def test_evaluate_names_the_line_it_cannot_read(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "駅で", "findings": [{"kind": "facility", "text": "公園"}]}\n', encoding="utf-8")
    with pytest.raises(DataError, match="1行目"):
        evaluate(corpus)


# ---------------------------------------------------------------------------------------------
# One example per rule of the contract

FINDINGS = [
    # facility -> its generic kind
    ("山下小学校付近で、男が児童に声をかけました。", "facility", "山下小学校", "学校"),
    ("ローソン駐車場で、女性が男に声をかけられました。", "facility", "ローソン", "店舗"),
    ("鹿児島市紫原2丁目の紫原公園で遊んでいた児童", "facility", "紫原公園", "公園"),
    ("天文館公園のトイレ付近で", "facility", "天文館公園", "公園"),
    ("JR谷山駅の駐輪場で", "facility", "谷山駅", "駅"),
    ("天文館通電停で電車を待っていた女性", "facility", "天文館通電停", "電停"),
    ("交通局前電停付近で", "facility", "交通局前電停", "電停"),
    ("騎射場バス停で", "facility", "騎射場バス停", "バス停"),
    ("ローソン鹿児島宇宿店の駐車場で", "facility", "ローソン鹿児島宇宿店", "店舗"),
    ("セブン-イレブン鹿児島紫原店の前で", "facility", "セブン-イレブン鹿児島紫原店", "店舗"),
    ("ファミマの前で", "facility", "ファミマ", "店舗"),
    ("タイヨー西田店の駐輪場で", "facility", "タイヨー西田店", "店舗"),
    ("山形屋の1階トイレ付近で", "facility", "山形屋", "店舗"),
    ("マクドナルドの店内で", "facility", "マクドナルド", "飲食店"),
    ("女性はローソンで電子マネーを購入させられました。", "facility", "ローソン", "店舗"),
    ("鹿児島大学病院の外来駐車場で", "facility", "鹿児島大学病院", "病院"),
    ("田中内科クリニックの裏の路地で", "facility", "田中内科クリニック", "医療機関"),
    ("鹿児島市立病院に入院中の男性", "facility", "鹿児島市立病院", "病院"),
    ("コーポ紫原の駐輪場で", "facility", "コーポ紫原", "集合住宅"),
    ("サンハイツ武岡の階段付近で", "facility", "サンハイツ武岡", "集合住宅"),
    ("グランドメゾン吉野のエントランスで", "facility", "グランドメゾン吉野", "集合住宅"),
    ("あさひ荘の前で", "facility", "あさひ荘", "集合住宅"),
    ("いづろ第一ビルの地下駐車場で", "facility", "いづろ第一ビル", "建物"),
    ("照國神社の境内で", "facility", "照國神社", "神社"),
    ("荒田八幡宮のそばで", "facility", "荒田八幡宮", "神社"),
    ("日置市伊集院町の妙円寺の境内で", "facility", "妙円寺", "寺院"),
    ("紫原公民館の前で", "facility", "紫原公民館", "公民館"),
    ("谷山地区センターの駐車場で", "facility", "谷山地区センター", "公共施設"),
    ("鹿児島国際大学から帰宅中の女子学生", "facility", "鹿児島国際大学", "大学"),
    ("ひまわり保育園の駐車場で", "facility", "ひまわり保育園", "保育施設"),
    ("さくら認定こども園付近で", "facility", "さくら認定こども園", "保育施設"),
    ("西伊敷団地の集会所付近で", "facility", "西伊敷団地", "団地"),
    ("県営武岡住宅2号棟の階段で", "facility", "県営武岡住宅", "集合住宅"),
    ("鹿児島銀行谷山支店のATMで", "facility", "鹿児島銀行谷山支店", "金融機関"),
    ("宇宿郵便局の前で", "facility", "宇宿郵便局", "郵便局"),
    # person -> 〇〇, the title stays
    ("被害に遭った山田太郎さん(78)は", "person", "山田太郎", "〇〇"),
    ("鈴木さん方の敷地内に", "person", "鈴木", "〇〇"),
    ("行方不明になっているのは、ゆいちゃん(6歳)です。", "person", "ゆい", "〇〇"),
    ("小学3年生のはるとくんが", "person", "はると", "〇〇"),
    ("鈴木容疑者は容疑を否認しています。", "person", "鈴木", "〇〇"),
    ("佐藤氏は、自宅前で", "person", "佐藤", "〇〇"),
    ("高橋様のお宅に", "person", "高橋", "〇〇"),
    ("英語講師のジョン・スミスさんが", "person", "ジョン・スミス", "〇〇"),
    ("谷山さん方に、息子を名乗る男から電話がありました。", "person", "谷山", "〇〇"),
    ("市役所保険課のヤマモトと名乗る男から", "person", "ヤマモト", "〇〇"),
    ("警察官の「タナカ」を名乗る男が", "person", "タナカ", "〇〇"),
    ("行方不明者 氏名:田中ハル(85歳)", "person", "田中ハル", "〇〇"),
    ("逮捕されたのは、無職、溜拓也容疑者(45)です。", "person", "溜拓也", "〇〇"),
    # exact_address -> the same place at the block (or the town in 地番 areas)
    ("鹿児島市紫原3丁目12番5号の住宅で", "exact_address", "紫原3丁目12番5号", "紫原3丁目12番"),
    ("鹿児島市紫原3-12-5の住宅で", "exact_address", "紫原3-12-5", "紫原3丁目12番"),
    ("鹿児島市宇宿二丁目十五番三号付近で", "exact_address", "宇宿二丁目十五番三号", "宇宿2丁目15番"),
    ("鹿児島市武岡５丁目２３番１０号の路上で", "exact_address", "武岡５丁目２３番１０号", "武岡5丁目23番"),
    ("鹿児島市鴨池新町6番8号の駐車場で", "exact_address", "鴨池新町6番8号", "鴨池新町6番"),
    ("日置市伊集院町郡123番地の農道で", "exact_address", "伊集院町郡123番地", "伊集院町郡"),
    ("鹿児島市吉野町123番地4の空き家に", "exact_address", "吉野町123番地4", "吉野町"),
    ("鹿児島市吉野町3256-12の住宅敷地内に", "exact_address", "吉野町3256-12", "吉野町"),
    ("鹿児島市郡元3丁目7番地の1の空き地で", "exact_address", "郡元3丁目7番地の1", "郡元3丁目"),
    ("男は、3階の302号室の前で待っていました。", "exact_address", "302号室", "一室"),
    # phone and email
    ("090-1234-5678に電話するよう", "phone", "090-1234-5678", "（電話番号は伏せます）"),
    ("099-123-4567からの電話", "phone", "099-123-4567", "（電話番号は伏せます）"),
    ("０９９（２２２）１２３４に電話するよう", "phone", "０９９（２２２）１２３４", "（電話番号は伏せます）"),
    ("犯人は、09012345678の携帯電話から", "phone", "09012345678", "（電話番号は伏せます）"),
    ("「+81-80-1234-5678」からの国際電話", "phone", "+81-80-1234-5678", "（電話番号は伏せます）"),
    ("情報提供は099-214-0110へお願いします。", "phone", "099-214-0110", "（電話番号は伏せます）"),
    ("mail@kanpukin-center.com にマイナンバーを送るよう", "email", "mail@kanpukin-center.com",
     "（メールアドレスは伏せます）"),
    ("kenkei-soudan@pref.kagoshima.lg.jp と書かれたメール", "email", "kenkei-soudan@pref.kagoshima.lg.jp",
     "（メールアドレスは伏せます）"),
]


@pytest.mark.parametrize("text, kind, span, suggestion", FINDINGS, ids=[row[2] for row in FINDINGS])
def test_each_kind_is_found_with_its_suggestion(text, kind, span, suggestion):
    findings = lint(text)
    match = [f for f in findings if f.text == span]
    assert match, [(f.kind, f.text) for f in findings]
    assert match[0].kind == kind
    assert match[0].suggestion == suggestion
    assert text[match[0].start:match[0].end] == span


def test_scrub_applies_the_suggestions():
    assert scrub("山下小学校付近で")[0] == "学校付近で"
    assert scrub("ローソン駐車場で")[0] == "店舗駐車場で"
    text = "鹿児島市紫原3丁目12番5号の山田太郎さん(電話099-251-7788)方に、男が訪れました。"
    scrubbed, findings = scrub(text)
    assert [f.kind for f in findings] == ["exact_address", "person", "phone"]
    assert scrubbed == "鹿児島市紫原3丁目12番の〇〇さん(電話（電話番号は伏せます）)方に、男が訪れました。"
    assert lint(scrubbed) == []


CLEAN = [
    # police stations and desks: the sender's own
    "鹿児島中央警察署では、通学路のパトロールを強化しています。",
    "伊敷交番前の交差点付近で、女子中学生が男から声をかけられました。",
    "鹿児島中央駅前交番に、男子生徒が駆け込みました。",
    "不審な人物を見かけた方は、鹿児島中央警察署 099-222-0110 までご連絡ください。",
    "情報提供は、鹿児島南警察署(099-268-0110)へお願いします。",
    "詳しくは、生活安全企画課 099-206-0110 にお問い合わせください。",
    "緊急の場合は110番、急を要しない相談は#9110へ。",
    "警察相談専用電話「＃９１１０」もご利用ください。",
    # organisations a fraud caller pretends to be
    "市役所職員を名乗り、還付金があると話す電話が相次いでいます。",
    "鹿児島市役所の職員を名乗る男から電話がありました。",
    "鹿児島県銀行協会の職員をかたる男が自宅を訪れました。",
    "年金事務所の職員を装い、ATMに誘導する手口です。",
    "山形屋の店員を名乗る男から「カードが不正に使われた」と電話がありました。",
    "ローソンの店員と称する男から電話がありました。",
    "Amazonを名乗るメールに注意してください。",
    # brands of clothes, cars and belongings
    "行為者は、黒色のナイキのジャンパーを着ていました。",
    "男は白色のトヨタ・プリウスに乗って逃走しました。",
    "行為者は、黒色のユニクロのダウンジャケットを着用していました。",
    "男は、紺色のワークマンの作業服を着ていました。",
    "男は、イオンの紙袋を持っていました。",
    # generic places
    "身の危険を感じたら、近くの「こども110番の家」に駆け込みましょう。",
    "駅付近で、女性の後をつける男が目撃されています。",
    "鹿児島市紫原2丁目の公園内で、女子児童が男に後をつけられました。",
    "不審な男は、コンビニエンスストア駐車場に停めた車に乗り込みました。",
    "鹿児島市宇宿2丁目の店舗駐車場で、女性が撮影されました。",
    "小学校の通学路で、男が下半身を露出しました。",
    "スーパーの駐輪場で、女子高校生が男からつきまとわれました。",
    "近くのマンションの駐輪場で、女子大学生が男に抱きつかれました。",
    "ラーメン店の駐車場で、男子高校生が金を要求されました。",
    "県立高校の女子生徒が、男からつきまとわれました。",
    "児童公園で遊んでいた男子児童が、男から声をかけられました。",
    "道の駅の駐車場で、車上ねらいがありました。",
    "家電量販店の店員を名乗る電話に注意してください。",
    # municipalities, towns and 丁目 (towns that contain facility words or surnames)
    "鹿児島市皇徳寺台3丁目の歩道上で、女子児童が声をかけられました。",
    "鹿児島市玉里団地1丁目の路上で、男子生徒が腕をつかまれました。",
    "鹿児島市中央町の路上で、男が刃物を振り回しました。",
    "鹿児島市城山1丁目付近の遊歩道で、女性が声をかけられました。",
    "鹿児島市山田町の農道で、女子児童が声をかけられました。",
    "鹿児島市谷山中央5丁目の月極駐車場で、車上ねらいが発生しました。",
    "南さつま市加世田川畑の農道で、女子児童が声をかけられました。",
    "鹿児島市の天文館地区で、客引き行為が確認されています。",
    # block level and road numbers
    "鹿児島市紫原3丁目12番付近の路上で、女子児童が声をかけられました。",
    "鹿児島市鴨池新町6番付近の歩道で、女性が体を触られました。",
    "鹿児島市紫原3-12付近で、男が目撃されました。",
    "鹿児島市吉野町の国道10号沿いの歩道で、女性が後をつけられました。",
    "県道24号沿いの歩道で、女子高校生が追いかけられました。",
    "「+1」や「+44」など、海外の番号から着信があっても出ないでください。",
    # words that look like names or titles
    "お母さんやおばあちゃんと一緒に、防犯マップを作りましょう。",
    "皆様の見守り活動へのご協力をお願いします。",
    "女子児童(A子さん)が、男から声をかけられました。",
    "たくさんの方から情報をいただきました。",
    "鍵をちゃんとかけて外出しましょう。",
    # the service's own sender address
    "配信元アドレス kenkei-anshin@123123.tv からのメールを受信できるよう設定してください。",
    # tips and descriptions
    "★知らない番号からの電話には出ず、常に留守番電話に設定しましょう。",
    "行為者の特徴:40歳くらい、身長170センチくらい、黒色短髪、紺色の作業服",
    "11月以降、鹿児島市と霧島市で、うそ電話詐欺の被害が5件、約1,200万円確認されています。",
]


@pytest.mark.parametrize("text", CLEAN)
def test_not_a_finding(text):
    assert lint(text) == []


def test_findings_are_sorted_frozen_and_do_not_overlap():
    text = "鹿児島市紫原3丁目12番5号のコーポ紫原201号室に住む鈴木さんに、090-1234-5678から電話がありました。"
    findings = lint(text)
    assert [f.kind for f in findings] == ["exact_address", "facility", "exact_address", "person", "phone"]
    assert [f.text for f in findings] == ["紫原3丁目12番5号", "コーポ紫原", "201号室", "鈴木", "090-1234-5678"]
    for before, after in zip(findings, findings[1:]):
        assert before.end <= after.start
    with pytest.raises(dataclasses.FrozenInstanceError):
        findings[0].kind = "person"
    assert isinstance(findings[0], Finding)


def test_lint_takes_text_only():
    assert lint("") == [] and lint("   \n") == []
    with pytest.raises(TypeError):
        lint(None)


def test_long_texts_are_read_in_pieces():
    sentence = "山下小学校付近で、男が児童に声をかけました。"
    text = sentence * 600  # about 13,000 characters: more than SudachiPy takes at once
    findings = lint(text)
    assert len(findings) == 600
    assert all(text[f.start:f.end] == "山下小学校" for f in findings)


# ---------------------------------------------------------------------------------------------
# Properties: alert texts from templates with one injected finding

TEMPLATES = [
    "{date}ごろ、{place}で、下校中の女子児童が、男から「家まで送ってあげる」と声をかけられました。",
    "{date}ごろ、{place}で、女性が男に後をつけられる事案が発生しました。",
    "■発生日時 {date}ごろ\n■発生場所 {place}\n■状況 男子児童が、男から腕をつかまれたものです。",
    "行方不明になっているのは、{place}に住む82歳の女性です。身長150センチくらい、白髪、灰色のセーター。",
    "男は、{place}から白色の軽自動車で立ち去りました。行為者の特徴:40歳くらい、身長170センチくらい、黒色の服。",
    "{date}、{place}で、うそ電話詐欺の被害が発生しました。★不審な電話はすぐに切りましょう。",
]
SITUATIONS = [
    "{date}ごろ、鹿児島市紫原3丁目付近の路上で、{x}から声をかけられたということです。",
    "★不審な電話があったら、{x}ではなく、家族に相談してください。",
    "男は、「{x}に連絡して」と話していたということです。",
    "{date}、{x}の近くで、女性が男に後をつけられました。",
]
CITIES_IN_TEXT = ["", "鹿児島県"]
SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "吉田", "山田", "松本",
            "井上", "木村", "山下", "中島", "前田", "有村", "東郷", "上園", "今給黎", "川畑", "西郷", "福永",
            "宮之原", "竹之内", "鮫島", "下園", "原口", "新納", "大久保", "迫田", "濵田"]
GIVEN_NAMES = ["太郎", "一郎", "健二", "翔太", "大輔", "拓也", "花子", "美咲", "陽子", "恵子", "ハル",
               "ツル子", "さくら", "結衣", "陽菜", "蓮", "湊", "大和", "悠真", "ミツ子", "和子", "幸子", "秀樹"]
TITLES = ["さん", "さん方", "様", "容疑者", "氏"]
FACILITY_SUFFIXES = ["小学校", "中学校", "高校", "高等学校", "学園", "特別支援学校", "保育園", "保育所", "幼稚園",
                     "こども園", "公園", "広場", "駅", "電停", "バス停", "店", "病院", "クリニック", "医院",
                     "診療所", "ハイツ", "マンション", "ビル", "荘", "アパート", "レジデンス", "ハウス", "神社",
                     "寺", "宮", "公民館", "地区センター", "会館", "集会所", "体育館", "図書館", "大学",
                     "短期大学", "専門学校", "団地"]
FACILITY_NAMES = ["さくら", "ひまわり", "みどり", "あおば", "わかば", "すみれ", "たんぽぽ", "つばさ", "ひかり",
                  "のぞみ", "サン", "グリーン", "ロイヤル", "パーク", "若葉", "青葉", "中央", "第一"]


@functools.lru_cache(maxsize=1)
def _towns() -> list[tuple[str, str, bool]]:
    """(city, town, has 丁目) for every town of the gazetteer, read at the first draw."""
    gaz = address.gazetteer()
    return sorted((city, town.name, town.has_chome) for city, entries in gaz.towns.items()
                  for town in entries.values())


towns = st.deferred(lambda: st.sampled_from(_towns()))
dates = st.builds(lambda m, d, h: f"{m}月{d}日午後{h}時", st.integers(1, 12), st.integers(1, 28), st.integers(1, 11))
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


@st.composite
def exact_addresses(draw):
    """(text written at the place, the 号-level address inside it)."""
    city, town, has_chome = draw(towns)
    block, lot = draw(st.integers(1, 60)), draw(st.integers(1, 40))
    if has_chome:
        chome = draw(st.integers(1, 9))
        numbers = draw(st.sampled_from([f"{chome}丁目{block}番{lot}号", f"{chome}-{block}-{lot}",
                                        f"{chome}丁目{block}-{lot}", f"{chome}丁目{block}番地{lot}"]))
    else:
        number = draw(st.integers(1, 4000))
        numbers = draw(st.sampled_from([f"{number}番地{lot}", f"{number}番地", f"{number}番地の{lot}",
                                        f"{block}番{lot}号", f"{number}-{lot}"]))
    if draw(st.booleans()):
        numbers = numbers.translate(FULL_WIDTH)
    spot = f"{town}{numbers}"
    return f"{draw(st.sampled_from(CITIES_IN_TEXT))}{city}{spot}付近の路上", spot


@st.composite
def facilities(draw):
    city, town, _ = draw(towns)
    names = [town] + FACILITY_NAMES
    name = draw(st.sampled_from(names))
    suffix = draw(st.sampled_from(FACILITY_SUFFIXES))
    facility = name + suffix
    # A name that is itself a town (「玉里」+「団地」 = the town 玉里団地) is a town, not a facility.
    gaz = address.gazetteer()
    assume(not any(key.startswith(address.fold(facility)) for key in gaz.everywhere))
    return f"{city}{town}の{facility}付近", facility


@st.composite
def phones(draw):
    digits = st.integers(0, 9).map(str)
    mobile = "0" + draw(st.sampled_from(["90", "80", "70", "50"]))
    line = "".join(draw(st.lists(digits, min_size=8, max_size=8)))
    area = "0" + "".join(draw(st.lists(st.integers(1, 9).map(str), min_size=1, max_size=3)))
    rest = "".join(draw(st.lists(digits, min_size=10 - len(area), max_size=10 - len(area))))
    local = rest[: len(rest) - 4]
    number = draw(st.sampled_from([
        f"{mobile}-{line[:4]}-{line[4:]}", f"{mobile}{line}", f"{area}-{local}-{rest[-4:]}",
        f"{area}({local}){rest[-4:]}", f"({area}){local}-{rest[-4:]}", f"+81-{mobile[1:]}-{line[:4]}-{line[4:]}",
        f"0120-{rest[:3]}-{rest[3:6]}",
    ]))
    if draw(st.booleans()):
        number = number.translate(FULL_WIDTH).replace("(", "（").replace(")", "）")
    return number


@st.composite
def persons(draw):
    name = draw(st.sampled_from(SURNAMES)) + draw(st.sampled_from(GIVEN_NAMES))
    return name + draw(st.sampled_from(TITLES)), name


def _assert_caught(text: str, span: str, kind: str):
    start = text.index(span)
    findings = lint(text)
    assert any(f.kind == kind and f.start < start + len(span) and start < f.end for f in findings), \
        (text, [(f.kind, f.text) for f in findings])
    for f in findings:
        assert text[f.start:f.end] == f.text
    scrubbed, _ = scrub(text)
    assert lint(scrubbed) == [], (scrubbed, [(f.kind, f.text) for f in lint(scrubbed)])


# LINT_EXAMPLES=2000 runs the properties on more generated alerts.
PROPERTY_SETTINGS = settings(max_examples=int(os.environ.get("LINT_EXAMPLES", "120")), deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(template=st.sampled_from(TEMPLATES), date=dates, place=exact_addresses())
def test_an_injected_exact_address_is_caught(template, date, place):
    text, spot = place
    _assert_caught(template.format(date=date, place=text), spot, "exact_address")


@PROPERTY_SETTINGS
@given(template=st.sampled_from(TEMPLATES), date=dates, place=facilities())
def test_an_injected_facility_is_caught(template, date, place):
    text, facility = place
    _assert_caught(template.format(date=date, place=text), facility, "facility")


@PROPERTY_SETTINGS
@given(template=st.sampled_from(SITUATIONS), date=dates, number=phones())
def test_an_injected_phone_number_is_caught(template, date, number):
    _assert_caught(template.format(date=date, x=number), number, "phone")


@PROPERTY_SETTINGS
@given(value=st.uuids())
def test_a_uuid_is_no_phone_number(value):
    """Atom and CAP ids are UUIDs; their digit groups can read as a number (「125b1f06-3768-5693-…」)."""
    assert lint(f"urn:uuid:{value}") == []


@pytest.mark.parametrize("text", ["urn:uuid:125b1f06-3768-5693-a1c1-024f9213d60b",
                                  "urn:uuid:be7867df-f1ca-5342-b730-f0725395422c"])
def test_the_uuids_that_once_read_as_phones_are_clean_and_a_phone_beside_one_is_not(text):
    assert lint(text) == []
    assert [f.kind for f in lint(f"{text} 連絡先 090-1234-5678")] == ["phone"]


@PROPERTY_SETTINGS
@given(template=st.sampled_from(TEMPLATES), date=dates, town=towns, person=persons())
def test_an_injected_person_is_caught(template, date, town, person):
    written, name = person
    text = template.format(date=date, place=f"{town[0]}{town[1]}") + f"被害に遭ったのは{written}です。"
    _assert_caught(text, name, "person")


@PROPERTY_SETTINGS
@given(template=st.sampled_from(TEMPLATES), date=dates, town=towns, chome=st.integers(1, 9), block=st.integers(1, 60))
def test_templates_at_block_level_are_clean(template, date, town, chome, block):
    city, name, has_chome = town
    place = f"{city}{name}{f'{chome}丁目{block}番' if has_chome else ''}付近の路上"
    assert lint(template.format(date=date, place=place)) == []
