"""Drafting alert mails: templates per category, prevention tips, follow-ups, mobile checks.

Every mail has the fixed shape of real police mails (subject; 日時, 場所, 状況,
行為者の特徴; ★ prevention tips; contact). The templates (``templates/*.j2``),
the tips' rule table (``templates/tips.csv``, see ``drafting.tips``), the kinds
of facility (``templates/place_kinds.csv``) and the fraud phrases
(``templates/phrases.csv``) are plain files that staff can edit. The place
always comes from the privacy decision. Every free-text field of the record
that can reach a member (手口, 管轄署, 名乗り, 服装, 体格, 車両, 概要, 行為者の
特徴) is fixed by ``drafting.fixes.fix_text`` before it goes into a template,
and the finished subject and body are linted and fixed once more, so a name
the lint sees only in its sentence (「…を名乗る電話」) goes too. Every draft
carries what was changed, what the lint still finds (nothing, unless a fix
failed) and its mobile warnings, so a form can show them. A record's text never breaks a line where it should
not (``drafting.text``): one-line fields and every subject are one line, a
body has LF as its only control character.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace

import jinja2
import pandas as pd

from anshin_lab.core.dates import TOKYO, WEEKDAYS
from anshin_lab.core.directive import POLICE_NAME, category_rule
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting.fixes import Change, fix_text, fix_texts
from anshin_lab.drafting.languages.published import build_published_fields
from anshin_lab.drafting.place import mail_place
from anshin_lab.drafting.tables import TEMPLATES, read_table
from anshin_lab.drafting.text import mail_body, one_line
from anshin_lab.drafting.tips import TIPS_PER_DRAFT, choose_tips, tips_library
from anshin_lab.privacy.lint import Finding, lint

OUTCOMES = ("検挙", "指導警告", "事件性なし", "訂正", "発見")
# The record's free text that a template may put before a member: on one line, or with its own lines.
ONE_LINE_FIELDS = ("subtype", "station", "caller_as", "clothing", "vehicle", "build")
BODY_FIELDS = ("summary", "actor")
# A police station as the record names it (「鹿児島南警察署」); anything else is not printed as the sender.
_STATION = re.compile(r"[\u4e00-\u9fff\u3005\u30a1-\u30faー]{1,12}警察署")
__all__ = ["BODY_FIELDS", "ONE_LINE_FIELDS", "OUTCOMES", "TIPS_PER_DRAFT", "AlertDraft", "Change", "MobileLimits",
           "Warning", "checked", "choose_tips", "draft", "edited", "fix_machine_dependent", "finished", "followup",
           "format_date", "format_when", "machine_dependent", "member_fields", "mobile_warnings", "tips_library"]


@dataclass(frozen=True)
class MobileLimits:
    """What old phones show well: subject and body lengths (from the settings)."""

    subject_max: int = 40
    body_max: int = 1000


@dataclass(frozen=True)
class Warning:
    """A mobile-limit problem and how to fix it."""

    kind: str  # subject_length, body_length, machine_dependent
    message: str
    fix: str


@dataclass(frozen=True)
class AlertDraft:
    """A mail ready for review: what the workflow stores, plus what the form shows."""

    subject: str
    body: str
    category: str
    level: Granularity
    area_codes: dict
    tips: tuple[str, ...]
    incident_ids: tuple[str, ...]
    public_text: str = ""
    assessed_level: Granularity | None = None
    original_alert_id: int | None = None
    findings: tuple[Finding, ...] = ()
    warnings: tuple[Warning, ...] = ()
    fields: dict = field(default_factory=dict, repr=False, compare=False)
    changes: tuple[Change, ...] = field(default=(), compare=False)
    # What the alert publishes as structured values (``languages.published``): stored, signed, rendered per language.
    published_fields: dict = field(default_factory=dict, compare=False)

    @property
    def text(self) -> str:
        """Subject and body as the member reads them."""
        return f"{self.subject}\n\n{self.body}"


# -- data files -----------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=False, autoescape=False)


@functools.lru_cache(maxsize=1)
def _phrases() -> dict[str, list[str]]:
    phrases: dict[str, list[str]] = {}
    for row in read_table("phrases.csv"):
        phrases.setdefault(row["subtype"], []).append(row["phrase"])
    return phrases


# -- formatting ------------------------------------------------------------------

def _tokyo(stamp) -> pd.Timestamp:
    """An aware stamp in Asia/Tokyo (naive means Asia/Tokyo)."""
    stamp = pd.Timestamp(stamp)
    return stamp.tz_localize(TOKYO) if stamp.tzinfo is None else stamp.tz_convert(TOKYO)


def format_date(stamp) -> str:
    """「11月29日(日)」: the day in Asia/Tokyo with its Japanese weekday."""
    stamp = _tokyo(stamp)
    return f"{stamp.month}月{stamp.day}日({WEEKDAYS[stamp.weekday()]})"


def format_when(stamp, *, with_date: bool = True) -> str:
    """「11月28日(金)午後4時15分ごろ」: Japanese weekday, time rounded to a quarter hour."""
    stamp = _tokyo(stamp).round("15min")
    ampm = "午前" if stamp.hour < 12 else "午後"
    hour = stamp.hour % 12
    minute = f"{stamp.minute}分" if stamp.minute else ""
    date = format_date(stamp) if with_date else ""
    return f"{date}{ampm}{hour}時{minute}ごろ"


_text = one_line  # a field of a record that stands on one line (手口, 管轄署, 名乗り …)


def _lines(text: str) -> list[str]:
    """The items of a listing field (「男、40歳代」 or one per line), each on one line."""
    return [one_line(part) for part in re.split(r"[、,\n]", mail_body(text)) if one_line(part)]


def _contact(station: str) -> str:
    return f"{station}(緊急の場合は110番)" if station else "最寄りの警察署(緊急の場合は110番)"


# -- drafts ----------------------------------------------------------------------

def member_fields(incident) -> tuple[dict, tuple[Change, ...]]:
    """The record's free-text fields as a member may read them, and what fixing them changed.

    One-line fields (``ONE_LINE_FIELDS``) stand on one line, ``BODY_FIELDS``
    keep their lines (LF only); each passes ``fix_text`` on its own, so
    nothing the lint finds in it reaches a template. A ``station`` that is
    not a police station's name (「…警察署」) is left out: the mail then
    names the prefectural police as its sender.
    """
    row = dict(incident)
    fields, changes = {}, []
    for key in ONE_LINE_FIELDS + BODY_FIELDS:
        text = _text(row.get(key)) if key in ONE_LINE_FIELDS else mail_body(row.get(key)).strip()
        if text:
            fixed = fix_text(text)
            text = _text(fixed.text) if key in ONE_LINE_FIELDS else fixed.text.strip()
            changes += fixed.changes
        fields[key] = text
    fields["station"] = _police_station(fields["station"])
    return fields, tuple(changes)


def _police_station(text: str) -> str:
    """``text`` if it names a police station, else ``""`` (the mail then names the prefectural police)."""
    return text if _STATION.fullmatch(text) else ""


def draft(incident, decision, *, tips=None, limits: MobileLimits = MobileLimits()) -> AlertDraft:
    """A mail for one incident, its place as the privacy ``decision`` publishes it.

    ``incident`` is a row of the incidents table (mapping or Series);
    ``decision`` a ``privacy.Decision``. ``tips`` replaces the automatic
    choice. Every free-text field is fixed first (``member_fields``), the
    finished subject and body again (``finished``); the result carries the
    changes, the lint findings left (none once fixed) and the mobile warnings.
    """
    row = dict(incident)
    category = row["category"]
    text, changes = member_fields(row)
    subtype, station = text["subtype"], text["station"]
    chosen = tuple(tips) if tips is not None else choose_tips(row)
    place = mail_place(decision, text["summary"])
    values = {
        "station": station or POLICE_NAME, "when": format_when(row["occurred_at"]), "place": place,
        "place_area": decision.area_text, "situation": text["summary"], "actor_lines": _lines(text["actor"]),
        "tips": chosen, "contact": _contact(station), "subtype_label": f"{subtype or '声かけ'}事案",
    }
    rule = category_rule(category)
    subject = f"{rule.subject(subtype)}{decision.area_text}"
    extra = _CATEGORY_FIELDS.get(category)
    if extra is not None:
        subject = extra(row, text, values, rule, decision) or subject
    body = _environment().get_template(f"{category}.txt.j2").render(**values).strip() + "\n"
    codes = {level: code for level, code in decision.codes.items() if level >= max(decision.level, Granularity.CHOME)}
    area_codes = {
        "city_code": codes.get(Granularity.CITY), "town_code": codes.get(Granularity.TOWN),
        "chome_code": codes.get(Granularity.CHOME), "station": _text(row.get("station")) or None,
        "level": decision.level.name, "households": decision.households,
    }
    published = build_published_fields(category=category, level=decision.level, public_text=decision.public_text,
                                       records=[{**row, "station": station}])
    result = AlertDraft(subject, body, category, decision.level, area_codes, chosen, (str(row["incident_id"]),),
                        place, decision.assessed_level or decision.level, fields=values, changes=changes,
                        published_fields=published)
    return finished(result, limits)


def _fraud_fields(row: dict, text: dict, values: dict, rule, decision) -> str:
    caller = text["caller_as"] or "公的機関の職員"
    method = text["subtype"] or rule.default_subtype
    values.update(method=method, caller=caller, phrases=_phrases().get(_text(row.get("subtype")), [])[:2])
    return f"{rule.subject()}{decision.area_text}で{caller}を名乗る電話"


def _community_fields(row: dict, text: dict, values: dict, rule, decision) -> str:
    values["when"] = format_when(row["occurred_at"]) if row.get("occurred_at") is not None else ""
    return f"{rule.subject()}{text['subtype'] or rule.default_subtype}({decision.area_text})"


def _missing_fields(row: dict, text: dict, values: dict, rule, decision) -> None:
    values["person_lines"] = _person_lines(row, text)


# What a category's template needs beyond the common fields; returns the subject when it differs.
_CATEGORY_FIELDS = {"fraud": _fraud_fields, "community": _community_fields, "missing": _missing_fields}


def _person_lines(row: dict, text: dict) -> list[str]:
    """The missing person's description: age, sex, height, build, clothing (never a name)."""
    lines = []
    if _text(row.get("age")):
        lines.append(f"{_text(row['age'])}歳")
    words = {"男": ("男性", "男の子"), "女": ("女性", "女の子")}.get(_text(row.get("victim_sex")))
    if words:
        child = pd.to_numeric(_text(row.get("age")) or None, errors="coerce") < 13  # a child reads 「男の子」
        lines.append(words[bool(child)])
    if _text(row.get("height_cm")):
        lines.append(f"身長{_text(row['height_cm'])}センチくらい")
    for key in ("build", "clothing"):
        lines.extend(_lines(text[key]))
    return lines


def followup(alert, outcome: str, note: str = "", *, sent_at=None, station: str | None = None,
             limits: MobileLimits = MobileLimits()) -> AlertDraft:
    """A follow-up to a sent alert (directive §5(4)): same area codes, same recipients.

    ``outcome`` is one of 検挙, 指導警告, 事件性なし, 訂正, 発見. For 発見 (a
    missing person found) the mail carries no description of the person.
    ``sent_at`` (aware, or naive Asia/Tokyo; else ``alert.sent_at`` if the
    object has it) is when the original was sent: the mail names its day
    (「11月29日(日)にお知らせした」) so that members can find it.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome {outcome!r}: one of {', '.join(OUTCOMES)}")
    texts = {
        "検挙": "この事案の行為者を検挙しました。",
        "指導警告": "この事案の行為者を特定し、指導・警告を行いました。",
        "事件性なし": "その後の調査で、この事案に事件性はないことが確認されました。",
        "訂正": "お知らせした内容に誤りがありましたので、訂正します。",
        "発見": "行方が分からなくなっていた方は、無事に発見されました。",
    }
    thanks = "情報提供などご協力ありがとうございました。" if outcome != "訂正" else "ご迷惑をおかけしました。"
    note_text = mail_body(note).strip()
    original_subject = one_line(alert.subject)
    headline = re.sub(r"^【[^】]*】", "", original_subject)
    station = _police_station(_text(station or alert.area_codes.get("station")))
    sent_at = sent_at if sent_at is not None else getattr(alert, "sent_at", None)
    sent_on = f"{format_date(sent_at)}に" if sent_at is not None and not pd.isna(sent_at) else "さきに"
    values = {"station": station or POLICE_NAME, "sent_on": sent_on, "original_subject": original_subject,
              "outcome_text": texts[outcome], "note": note_text, "thanks": thanks, "contact": _contact(station)}
    body = _environment().get_template("followup.txt.j2").render(**values).strip() + "\n"
    published = build_published_fields(
        category=alert.category, level=alert.level, public_text=alert.public_text, station=station or None,
        outcome=outcome, original_alert_id=alert.alert_id, base=getattr(alert, "published_fields", None))
    result = AlertDraft(f"【続報・{outcome}】{headline}", body, alert.category, alert.level, dict(alert.area_codes),
                        (), tuple(alert.incident_ids), alert.public_text, alert.assessed_level,
                        original_alert_id=alert.alert_id, fields=values, published_fields=published)
    return finished(result, limits)


def edited(draft_: AlertDraft, *, subject: str | None = None, body: str | None = None,
           limits: MobileLimits = MobileLimits()) -> AlertDraft:
    """The draft with hand-edited text, re-checked."""
    return checked(replace(draft_, subject=subject if subject is not None else draft_.subject,
                           body=body if body is not None else draft_.body), limits)


def finished(draft_: AlertDraft, limits: MobileLimits = MobileLimits()) -> AlertDraft:
    """The templated draft with its subject and body fixed as a member will read them, then ``checked``.

    The fields were fixed one by one; this pass reads them in their
    sentences (「…で【警視庁のモトハシ】を名乗る電話」), rewrites what it finds in
    the subject or the body wherever it stands (``fix_texts``), and adds its
    changes to the draft's.
    """
    subject, body = fix_texts(one_line(draft_.subject), mail_body(draft_.body))
    changes = draft_.changes + subject.changes + body.changes
    return checked(replace(draft_, subject=subject.text, body=body.text, changes=changes), limits)


def checked(draft_: AlertDraft, limits: MobileLimits = MobileLimits()) -> AlertDraft:
    """The draft with a one-line subject, a body whose only control is LF, its lint findings and mobile warnings."""
    draft_ = replace(draft_, subject=one_line(draft_.subject), body=mail_body(draft_.body))
    return replace(draft_, findings=tuple(lint(draft_.text)), warnings=tuple(mobile_warnings(draft_, limits)))


# -- mobile limits ------------------------------------------------------------------

# CP932 characters with a JIS X 0208 twin that every phone shows.
_SAFE_TWINS = str.maketrans({"～": "〜", "－": "−", "￠": "¢", "￡": "£", "￢": "¬", "∥": "‖"})


def machine_dependent(text: str) -> list[str]:
    """Characters old phones mangle: outside JIS X 0208 (①, ㈱, Ⅰ, 髙, emoji …)."""
    found = []
    for ch in dict.fromkeys(text.translate(_SAFE_TWINS)):
        if ch in "\n\t":
            continue
        try:
            ch.encode("iso2022_jp")
        except UnicodeEncodeError:
            found.append(ch)
    return found


def fix_machine_dependent(text: str) -> str:
    """Replace machine-dependent characters by plain ones (①→1, ㈱→(株)); drop what has none (emoji)."""
    out = []
    for ch in text.translate(_SAFE_TWINS):
        if ch in "\n\t" or not machine_dependent(ch):
            out.append(ch)
            continue
        plain = unicodedata.normalize("NFKC", ch)
        out.append(plain if not machine_dependent(plain) else "")
    return "".join(out)


def mobile_warnings(draft_: AlertDraft, limits: MobileLimits = MobileLimits()) -> list[Warning]:
    """Length and character problems, each with the fix to apply."""
    warnings = []
    if len(draft_.subject) > limits.subject_max:
        warnings.append(Warning("subject_length", f"件名が{len(draft_.subject)}文字あります(上限{limits.subject_max}文字)",
                                f"件名を{limits.subject_max}文字以内に短くしてください(場所は「付近」まで、分類名は短く)"))
    if len(draft_.body) > limits.body_max:
        warnings.append(Warning("body_length", f"本文が{len(draft_.body)}文字あります(上限{limits.body_max}文字)",
                                "状況の説明を短くするか、防犯のポイントを減らしてください"))
    odd = machine_dependent(draft_.text)
    if odd:
        warnings.append(Warning("machine_dependent", f"機種依存文字があります: {' '.join(odd)}",
                                "fix_machine_dependent で置き換えてください(①→1、㈱→(株)、絵文字は削除)"))
    return warnings
