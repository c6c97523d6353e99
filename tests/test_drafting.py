import dataclasses
import email
import email.policy
import re

import holidays
import pandas as pd
import pytest

from anshin_lab.delivery.messages import build_message
from anshin_lab.delivery.options import DeliveryOptions
from anshin_lab.drafting import mail as drafting
from anshin_lab.workflow.alerts import Alert
from anshin_lab.app.catalog import load_areas
from anshin_lab.privacy import assess
from anshin_lab.workflow.rules import Status
from anshin_lab.app.catalog import read_incidents

from .conftest import PROJECT

GOLDEN = PROJECT / "tests" / "data" / "golden"
CATEGORIES = ["threat", "fugitive", "fraud", "missing", "community"]


@pytest.fixture(scope="module")
def sample(imported_workspace):
    return read_incidents(settings=imported_workspace.settings), load_areas(imported_workspace.root)


def first_of(incidents, category):
    return incidents[incidents["category"] == category].iloc[0]


@pytest.mark.parametrize("category", CATEGORIES)
def test_golden_mail_per_category(sample, category):
    """The mail of the first sample incident of each category, as members read it.

    To accept a deliberate template change, delete the golden file and run the
    test once: it writes the new text for review (and fails that once).
    """
    incidents, area_set = sample
    row = first_of(incidents, category)
    text = drafting.draft(row, assess(row, area_set)).text
    golden = GOLDEN / f"{category}.txt"
    if not golden.exists():
        golden.write_text(text, encoding="utf-8")
        pytest.fail(f"wrote {golden.name}: review it and run again")
    assert text == golden.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample_drafts(sample):
    """(incident row, draft) for every sample incident."""
    incidents, area_set = sample
    return [(row, drafting.draft(row, assess(row, area_set))) for row in incidents.to_dict("records")]


def test_no_sample_draft_has_a_lint_finding(sample_drafts):
    flagged = [(row["incident_id"], [(f.kind, f.text) for f in result.findings])
               for row, result in sample_drafts if result.findings]
    assert not flagged, flagged[:10]


# Text that reads wrong to a member, whatever the incident: each pattern with what it catches.
BAD_PATTERNS = {
    "doubled particle": re.compile(r"(?:のの|をを|にに|がが|はは|でで|とと)"),
    "verb + の + noun": re.compile(r"(?:いた|った|した|んだ|れた|ている|ていた)の[\u4e00-\u9fff\u30a1-\u30fa]"),
    "「先日に」 without a date": re.compile(r"先日に?お知らせ"),
    "「施設」 with no kind before it": re.compile(r"(?<![\u4e00-\u9fff\u30a1-\u30fa])施設"),
    "付近 twice": re.compile(r"付近の[^\n]*付近"),
    "empty ■ section": re.compile(r"^■[^\n]*\n(?=■|★|\Z)", re.MULTILINE),
    "None/nan": re.compile(r"None|\bnan\b|NaN|NaT"),
    "empty 「」 or ()": re.compile(r"「」|\(\)"),
}


def bad_patterns(text: str) -> list[str]:
    return [f"{name}: {m.group(0)!r}" for name, pattern in BAD_PATTERNS.items() for m in pattern.finditer(text)]


def test_bad_patterns_are_caught():
    """The checks below can fail: each known-bad text is caught, a good one is not."""
    for text in ("公園で遊んでいたの女子児童に対し", "先日にお知らせした", "指宿市山川付近の施設", "■状況\n■問い合わせ先",
                 "■場所\nNone", "下校中のの児童", "鹿児島市真砂町付近の駅付近"):
        assert bad_patterns(text), text
    assert not bad_patterns("公園で遊んでいた女子児童に対し\n■場所\n指宿市山川付近の介護施設\n■問い合わせ先\n警察署")


def test_no_sample_draft_reads_wrong(sample_drafts):
    """Every sample incident's mail, and a follow-up of each, is free of the known-bad patterns."""
    found = []
    for row, result in sample_drafts:
        texts = [result.text]
        if result.category in ("threat", "missing"):
            outcome = "発見" if result.category == "missing" else "検挙"
            original = sent_alert(result)
            texts.append(drafting.followup(original, outcome, sent_at=pd.Timestamp("2026-11-29 10:00", tz="Asia/Tokyo")).text)
        for text in texts:
            found.extend((row["incident_id"], problem) for problem in bad_patterns(text))
    assert not found, f"{len(found)} problems, e.g. {found[:10]}"


def test_every_draft_has_tips_and_the_decided_place(sample):
    incidents, area_set = sample
    for category in CATEGORIES:
        row = first_of(incidents, category)
        decision = assess(row, area_set)
        result = drafting.draft(row, decision)
        assert len(result.tips) >= 3 and all(f"★{tip}" in result.body for tip in result.tips)
        assert decision.area_text in result.subject + result.body
        assert result.area_codes["city_code"] and result.area_codes["station"]
        assert result.incident_ids == (row["incident_id"],)


def test_tips_library_has_three_per_category():
    library = drafting.tips_library()
    for category in CATEGORIES:
        assert len(drafting.choose_tips({"category": category})) >= 3, category
    for row in library.to_dict("records"):  # every tip's own conditions still give three tips
        incident = {"category": row["category"], "subtype": row["subtype"].split("|")[0],
                    "place_type": row["place"].split("|")[0], "victim_group": row["victim"].split("|")[0]}
        assert len(drafting.choose_tips(incident)) >= 3, row["tip"]


# The documented bands of tips.csv, restated here so that the test does not trust the code it checks.
def band(hour: int) -> str:
    return "朝" if 5 <= hour <= 8 else "昼" if 9 <= hour <= 15 else "夕方" if 16 <= hour <= 18 else "夜"


def season(month: int) -> str:
    return {3: "春", 4: "春", 5: "春", 6: "夏", 7: "夏", 8: "夏", 9: "秋", 10: "秋", 11: "秋"}.get(month, "冬")


def day(stamp) -> str:
    off = stamp.weekday() >= 5 or stamp.date() in holidays.Japan() or (stamp.month, stamp.day) in (
        (12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))
    return "休日" if off else "平日"


CHILDREN = {"未就学児", "小学生", "中学生", "高校生"}
# Words in a tip and what the incident must be for the tip to fit: a reader's reading, independent of tips.csv.
TIP_SENSE = {
    "登下校": lambda r: r["victim_group"] in CHILDREN - {"未就学児"} and band(r["when"].hour) != "夜"
    and day(r["when"]) == "平日" if r["category"] == "threat" else band(r["when"].hour) != "夜",
    "エスカレーター": lambda r: r["place_type"] in ("店舗", "駅", "施設"),
    "店員": lambda r: r["place_type"] in ("店舗", "施設"),
    "駅員": lambda r: r["place_type"] == "駅",
    "公園": lambda r: r["place_type"] == "公園",
    "こども110番": lambda r: r["victim_group"] in CHILDREN,
    "夜間の一人歩き": lambda r: band(r["when"].hour) == "夜" and r["victim_group"] not in CHILDREN
    and r["place_type"] not in ("店舗", "施設", "駅", "住宅", "集合住宅共用部", "車内"),
    "塾や習い事": lambda r: band(r["when"].hour) == "夜" and r["victim_group"] in CHILDREN,
    "休みの日": lambda r: day(r["when"]) == "休日",
    "日が暮れる": lambda r: season(r["when"].month) in ("秋", "冬") and band(r["when"].hour) == "夕方",
    "学校": lambda r: r["victim_group"] in CHILDREN | {"大学生", "専門学校生"},
    "還付金": lambda r: r["subtype"] == "還付金詐欺",
    "キャッシュカード": lambda r: r["subtype"] in ("預貯金詐欺", "キャッシュカード詐欺盗"),
    "番号が変わった": lambda r: r["subtype"] == "オレオレ詐欺",
    "イノシシ": lambda r: r["subtype"] == "イノシシ出没",
    "二重ロック": lambda r: r["subtype"] == "自転車盗",
    "貴重品": lambda r: r["subtype"] in ("自転車盗", "車上ねらい"),
    "高齢の方": lambda r: r["victim_group"] in ("60代", "70代", "80代以上"),
    "寒い時期": lambda r: season(r["when"].month) == "冬",
    "暑い時期": lambda r: season(r["when"].month) == "夏",
    "認知症": lambda r: "認知症" in r["subtype"],
}


@pytest.mark.parametrize("category", CATEGORIES)
def test_chosen_tips_fit_every_sample_incident(sample_drafts, category):
    """For every sample incident: three tips, each one's tips.csv conditions match it, and none says what does not fit."""
    library = drafting.tips_library()
    misfits, checked_tips = [], 0
    for row, result in sample_drafts:
        if row["category"] != category:
            continue
        when = pd.Timestamp(row["occurred_at"]).tz_convert("Asia/Tokyo")
        facts = {"subtype": row["subtype"], "place": row["place_type"], "victim": row["victim_group"],
                 "time": band(when.hour), "season": season(when.month), "day": day(when)}
        assert len(result.tips) == 3 and len(set(result.tips)) == 3, row["incident_id"]
        for tip in result.tips:
            conditions = library[(library["category"] == category) & (library["tip"] == tip)]
            assert len(conditions), tip
            fits = any(all(not rule[key] or facts[key] in rule[key].split("|") for key in facts)
                       for rule in conditions.to_dict("records"))
            sense = [word for word, ok in TIP_SENSE.items() if word in tip and not ok({**row, "when": when})]
            if not fits or sense:
                misfits.append((row["incident_id"], facts, tip, sense))
            checked_tips += 1
    assert checked_tips >= 3 * 20, checked_tips
    assert not misfits, f"{len(misfits)} misfits, e.g. {misfits[:5]}"


def test_park_voyeurism_and_an_evening_student_get_tips_that_fit():
    """The two cases of issue 16, by hand."""
    park = {"category": "threat", "subtype": "盗撮", "place_type": "公園", "victim_group": "中学生",
            "occurred_at": pd.Timestamp("2026-11-26 16:30", tz="Asia/Tokyo")}
    tips = drafting.choose_tips(park)
    assert not any("エスカレーター" in t or "店員" in t for t in tips), tips
    assert any("スマートフォン" in t for t in tips) and any("公園" in t for t in tips)
    shop = {**park, "place_type": "店舗"}
    assert any("エスカレーター" in t for t in drafting.choose_tips(shop))
    student = {"category": "threat", "subtype": "声かけ", "place_type": "路上", "victim_group": "大学生",
               "occurred_at": pd.Timestamp("2026-11-26 20:15", tz="Asia/Tokyo")}
    tips = drafting.choose_tips(student)
    assert not any("登下校" in t or "こども110番" in t for t in tips), tips
    assert any("夜間の一人歩き" in t for t in tips)
    pupil = {**student, "victim_group": "小学生", "occurred_at": pd.Timestamp("2026-11-26 15:30", tz="Asia/Tokyo")}
    assert any("登下校" in t for t in drafting.choose_tips(pupil))
    sunday = {**pupil, "occurred_at": pd.Timestamp("2026-11-29 15:30", tz="Asia/Tokyo")}
    assert not any("登下校" in t for t in drafting.choose_tips(sunday))


def test_when_is_rounded_to_a_quarter_hour_with_the_weekday():
    assert drafting.format_when(pd.Timestamp("2026-11-28 16:08", tz="Asia/Tokyo")) == "11月28日(土)午後4時15分ごろ"
    assert drafting.format_when(pd.Timestamp("2026-11-27 16:00", tz="Asia/Tokyo")) == "11月27日(金)午後4時ごろ"
    assert drafting.format_when(pd.Timestamp("2026-11-27 00:05", tz="Asia/Tokyo")) == "11月27日(金)午前0時ごろ"


def test_machine_dependent_characters_are_warned_and_fixed(sample):
    incidents, area_set = sample
    row = first_of(incidents, "threat")
    result = drafting.edited(drafting.draft(row, assess(row, area_set)), body="①不審者に注意㈱😀～")
    warning = next(w for w in result.warnings if w.kind == "machine_dependent")
    assert "①" in warning.message and "😀" in warning.message
    assert drafting.fix_machine_dependent("①不審者に注意㈱😀～") == "1不審者に注意(株)〜"
    assert not drafting.machine_dependent("〜ー−「」・★■")


def test_long_subject_and_body_are_warned(sample):
    incidents, area_set = sample
    row = first_of(incidents, "threat")
    result = drafting.draft(row, assess(row, area_set), limits=drafting.MobileLimits(subject_max=5, body_max=50))
    assert {w.kind for w in result.warnings} >= {"subject_length", "body_length"}


def sent_alert(result, alert_id=7) -> Alert:
    return Alert(alert_id, result.category, Status.SENT, result.subject, result.body, result.level, result.level,
                 result.public_text, result.area_codes, list(result.incident_ids), None, False, "analyst", 120)


@pytest.mark.parametrize("outcome", drafting.OUTCOMES)
def test_followups_reference_the_original(sample, outcome):
    incidents, area_set = sample
    category = "missing" if outcome == "発見" else "threat"
    row = first_of(incidents, category)
    original = sent_alert(drafting.draft(row, assess(row, area_set)))
    follow = drafting.followup(original, outcome, note="ご協力ありがとうございました。")
    assert follow.original_alert_id == 7 and follow.area_codes == original.area_codes
    assert follow.subject.startswith(f"【続報・{outcome}】") and original.subject in follow.body
    assert not follow.findings


def test_a_missing_child_is_described_as_a_child(sample_drafts):
    children = [(row, result) for row, result in sample_drafts
                if row["category"] == "missing" and row["age"] is not None and int(row["age"]) < 13]
    assert children
    for row, result in children:
        assert ("・男の子" in result.body or "・女の子" in result.body) and "性\n" not in result.body, result.body
        assert "作業服" not in result.body and "スーツ" not in result.body


def test_followup_names_the_day_of_the_original(sample):
    incidents, area_set = sample
    row = first_of(incidents, "threat")
    original = sent_alert(drafting.draft(row, assess(row, area_set)))
    # Sent at 05:30 on Sunday in Kagoshima, stored in UTC (still Saturday there).
    follow = drafting.followup(original, "検挙", sent_at=pd.Timestamp("2026-11-28 20:30", tz="UTC"))
    assert f"11月29日(日)にお知らせした「{original.subject}」の続報です。" in follow.body
    assert "先日" not in follow.body and not follow.findings
    undated = drafting.followup(original, "検挙")
    assert "さきにお知らせした「" in undated.body and "先日" not in undated.body


def test_found_person_followup_drops_the_description(sample):
    incidents, area_set = sample
    row = first_of(incidents, "missing")
    original = sent_alert(drafting.draft(row, assess(row, area_set)))
    follow = drafting.followup(original, "発見")
    for detail in (f"{row['age']}歳", f"身長{row['height_cm']}センチ", "■特徴"):
        assert detail in original.body and detail not in follow.body
    with pytest.raises(ValueError):
        drafting.followup(original, "逮捕")


# A record whose one-line fields carry a header injection and terminal/format controls.
INJECTED = "\r\nBcc: x@evil.example\r\n\x00\x1b[2J\u2028\u202e\x85"
ONE_LINE_FIELDS = ("subtype", "station", "caller_as", "clothing", "vehicle", "build", "actor")
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def _message(result):
    """The draft as a member's message, built by the sender's own code, then read back."""
    built = build_message(subject=result.subject, body=result.body, to="member@example.jp",
                          message_id="<m@example.jp>", date=pd.Timestamp("2026-11-29 10:00", tz="Asia/Tokyo"),
                          unsubscribe_token="T" * 32, options=DeliveryOptions())
    return email.message_from_bytes(built.as_bytes(), policy=email.policy.default)


@pytest.mark.parametrize("category", CATEGORIES)
def test_line_breaks_and_controls_in_a_record_never_reach_the_headers(sample, category):
    incidents, area_set = sample
    row = first_of(incidents, category).copy()
    for column in ONE_LINE_FIELDS:
        row[column] = f"声かけ{INJECTED}" if column == "subtype" else f"{row[column] or '不明'}{INJECTED}"
    row["summary"] = "下校中の児童に\r\n男が声をかけた\x00もの。\x1b[31m"
    result = drafting.draft(row, assess(row, area_set))
    assert not CONTROLS.search(result.subject), repr(result.subject)
    assert not CONTROLS.search(result.body.replace("\n", "")), repr(result.body)
    # One-line fields stay on one line in the body too: no line of the mail starts with the injected header.
    assert not re.search(r"^\s*Bcc:", result.body, re.MULTILINE), result.body
    if category != "missing":  # the missing-person mail describes the person, not the situation
        assert "児童に\n男が声をかけたもの。" in result.body
    message = _message(result)
    assert message["Bcc"] is None and "\n" not in str(message["Subject"])
    assert str(message["Subject"]) == result.subject


def test_a_hand_edited_subject_and_a_followup_stay_on_one_line(sample):
    incidents, area_set = sample
    row = first_of(incidents, "threat")
    result = drafting.edited(drafting.draft(row, assess(row, area_set)),
                             subject="【声かけ事案】\r\nBcc: x@evil.example", body="一行目\r\n二行目\x07\u2029三行目")
    assert result.subject == "【声かけ事案】 Bcc: x@evil.example"
    assert result.body == "一行目\n二行目\n三行目"
    # A follow-up quotes the original subject; its note may have lines of its own, but no other control.
    original = sent_alert(dataclasses.replace(result, subject="【声かけ事案】\r\nBcc: x@evil.example"))
    follow = drafting.followup(original, "検挙", note="ご協力\r\nありがとう\x1b[0m")
    assert not CONTROLS.search(follow.subject) and not CONTROLS.search(follow.body.replace("\n", ""))
    # The quoted subject is fixed like any text a member reads: the address it carried is withheld.
    assert "「【声かけ事案】 Bcc: (メールアドレスは省略)」" in follow.body and "ご協力\nありがとう" in follow.body
    assert _message(follow)["Bcc"] is None


# -- issue 14: every field a member reads is fixed, and the fix reads as Japanese ---------------

FIX_CASES = [
    ("鹿児島市の山下小学校の前で", "鹿児島市内の学校の前で"),
    ("現場は鹿児島市山下小学校です。", "現場は鹿児島市内の学校です。"),
    ("鹿児島市のひまわり公園という公園で", "鹿児島市内の公園で"),
    ("鈴木副署長が説明した。", "副署長が説明した。"),
    ("被害者の田中花子さん(80)が", "被害者(80歳代)が"),
    ("山田さん(女性)が声をかけられた。", "女性が声をかけられた。"),
    ("山田さん(女性、45歳)が", "女性(40歳代)が"),  # the exact age beside the name becomes its group (round 53)
    ("田中太郎さんが声をかけられた。", "関係者が声をかけられた。"),
    ("【警視庁のモトハシ】を名乗る男", "【警視庁の職員】を名乗る男"),
    ("ジョン・スミスと名乗る男", "個人名を名乗る男"),
    ("099ー222ー1234から電話があった。", "(電話番号は省略)から電話があった。"),
    ("電話番号は099-222-1234です。", "電話番号(省略)です。"),
    ("鹿児島市紫原3の12の5の住宅", "鹿児島市紫原3丁目の住宅"),
    ("紫原3丁目12番503号の住人", "紫原3丁目の住人"),
    ("アパートの503号の部屋", "アパートの部屋"),
]


@pytest.mark.parametrize("text, fixed", FIX_CASES)
def test_the_fix_reads_as_japanese_and_leaves_nothing_to_find(text, fixed):
    result = drafting.fix_text(text)
    assert result.text == fixed
    assert not privacy_lint(result.text) and not result.findings
    assert not bad_patterns(result.text)
    assert result.changes and all(change.before in text for change in result.changes)


def test_the_fix_leaves_clean_text_alone():
    text = "11月28日(金)午後4時ごろ、鹿児島市紫原3丁目12番付近の路上で、大声でののしる男がいました。"
    assert drafting.fix_text(text).text == text and not drafting.fix_text(text).changes


def privacy_lint(text):
    from anshin_lab.privacy import lint  # the lint the gate runs, on the fixed text

    return lint(text)


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_free_text_field_is_fixed_subject_included(sample, category):
    """手口, 管轄署, 名乗り, 服装, 体格, 車両, 概要 and 行為者 carry a school, a name, a phone: none reaches the mail."""
    incidents, area_set = sample
    sample_row = first_of(incidents, category).to_dict()
    row = {**sample_row,
           "subtype": "山下小学校前での声かけ", "station": "山下小学校", "caller_as": "【警視庁のモトハシ】",
           "clothing": "鶴丸高校の制服", "build": "田中(45)に似た体格", "vehicle": "鹿児島銀行の社用車",
           "summary": f"鹿児島市の山下小学校の前で、099-222-1234から電話があった。{sample_row['summary'] or ''}",
           "actor": "鈴木副署長によると男、40歳代"}
    result = drafting.draft(row, assess(row, area_set))
    for word in ("山下小", "モトハシ", "鶴丸", "田中", "鹿児島銀行", "222-1234", "鈴木"):
        assert word not in result.text and word not in result.public_text, (word, result.text)
    assert not result.findings and not bad_patterns(result.text)
    assert result.changes and any("山下小学校" in change.before for change in result.changes)
    assert "鹿児島県警察からのお知らせです。" in result.body  # 「山下小学校」 names no police station
    if category in ("threat", "fugitive"):
        assert "鹿児島市内の学校の前で" in result.body


def test_the_draft_is_linted_and_fixed_after_templating(sample):
    """A name the lint sees only in the finished sentence (「…で<名乗り>を名乗る電話」) is fixed there."""
    incidents, area_set = sample
    row = {**first_of(incidents, "fraud").to_dict(), "caller_as": "警視庁のモトハシ"}
    result = drafting.draft(row, assess(row, area_set))
    assert "モトハシ" not in result.text and not result.findings
    assert "警視庁の職員を名乗る電話" in result.subject
