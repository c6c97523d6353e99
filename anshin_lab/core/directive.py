"""The directive's rules in one place (県警あんしんメール実施要領, ``shared/seed``).

Every module that needs to know what a category requires — consent, the
urgent path, who receives it, where it is reported, how its subject starts —
reads it from ``CATEGORY_RULES`` here instead of comparing category strings.
The service-wide facts (the prefecture, the sender domain, the finest level
that may be published, how long records are kept) sit beside it, so a
newcomer who knows the directive finds every rule in this one file.

Examples
--------
>>> rule = category_rule("missing")
>>> rule.label, sorted(rule.consent_kinds), rule.consent_needs_tick
('高齢者等の行方不明事案', ['公表要請書'], True)
>>> category_rule("fugitive").urgent_path
True
"""

from __future__ import annotations

from dataclasses import dataclass

from anshin_lab.core.errors import AnshinError
from anshin_lab.core.granularity import Granularity

# -- the service -----------------------------------------------------------------------------

PREFECTURE = "鹿児島県"  # the prefecture the service covers
PREF_CODE = "46"  # its JIS X 0401 code
POLICE_NAME = "鹿児島県警察"  # the sender named at the end of every mail
SERVICE_NAME = "県警あんしんメール"  # the name on the 公表要請書 tick box and in From
SENDER_DOMAIN = "123123.tv"  # §6(6): the domain members whitelist
RETENTION_YEARS = 5  # the directive's own retention class
FINEST_PUBLIC_LEVEL = Granularity.BLOCK  # §5: 街区/番地, never the 号 or a point

# -- consent (§6(2)) -------------------------------------------------------------------------

VICTIM = "本人"  # the adult victim's consent to mail distribution
GUARDIAN = "保護者"  # a minor victim's guardian's consent
REQUEST_FORM = "公表要請書"  # the missing person's family's request, 「県警あんしんメール」 ticked
CONSENT_KINDS = (VICTIM, GUARDIAN, REQUEST_FORM)
CONSENT_METHODS = ("対面", "電話", "書面")
CONSENT_REFUSED = "なし"  # an incident record's consent column when consent was refused

# -- who belongs where (所属) ----------------------------------------------------------------

HQ = "本部"  # the affiliation of an HQ account given none: it acts prefecture-wide
# The HQ divisions an account may belong to (a station account names a station of the station table).
HQ_DIVISIONS = (HQ, "生活安全企画課", "人身安全・少年課", "総合当直")
STATION_SUFFIX = "警察署"  # every name in the station table ends so (「鹿児島中央署」 is read as 鹿児島中央警察署)

# -- outcomes (§5(4)) --------------------------------------------------------------------------

FOLLOWUP_OUTCOMES = ("検挙", "指導警告", "事件性なし", "訂正", "発見")  # what a follow-up reports
# The follow-ups that settle a sent alert: after one of these nothing more is awaited (訂正 settles nothing).
SETTLING_OUTCOMES = ("検挙", "指導警告", "事件性なし", "発見")


@dataclass(frozen=True)
class Route:
    """Where an alert request is reported, and how (§4)."""

    desk: str
    channel: str  # 「電話」 or 「メール」
    office_hours: bool
    note: str = ""


@dataclass(frozen=True)
class CategoryRule:
    """What the directive requires of one category of 発信対象情報 (§3–§6)."""

    code: str
    label: str  # the directive's Japanese name
    subject_prefix: str  # how a mail's subject starts; ``{subtype}`` is the 手口
    default_subtype: str  # the 手口 assumed when the record has none
    consent_kinds: frozenset[str]  # any one of these satisfies the directive (empty: none needed)
    consent_needs_tick: bool  # the 公表要請書 counts only with 「県警あんしんメール」 ticked
    consent_missing: str  # the one-line refusal when consent is missing
    urgent_path: bool  # the HQ duty officer may approve alone, the others afterwards
    whole_prefecture: bool  # recipients are every member of the category, wherever they live
    route_office: Route  # reporting during office hours
    route_after_hours: Route  # reporting outside them
    route_after_hours_urgent: Route | None = None  # outside them, when the matter is urgent
    consent_follows_victim: bool = False  # §6(2): a minor's guardian, an adult themself (not either)
    outcome_expected: bool = False  # §5(4): a sent alert awaits a follow-up (検挙・指導警告・解決)
    quiet_hours_exempt: bool = False  # urgent for members: sent at once, even in a member's quiet hours

    @property
    def needs_consent(self) -> bool:
        return bool(self.consent_kinds)

    def subject(self, subtype: str | None = None) -> str:
        """The subject's prefix, e.g. 「【声かけ事案】」."""
        return self.subject_prefix.format(subtype=subtype or self.default_subtype)


_PLANNING_DESK = "生活安全企画課 担当係"
_DUTY_OFFICER = "警察本部 総合当直"
# §4 for うそ電話詐欺 and 地域に有益な情報: promptly to the desk; after hours by mail, or the duty officer if urgent.
_PROMPT_ROUTES = dict(
    route_office=Route(_PLANNING_DESK, "電話", True, "速やかに報告"),
    route_after_hours=Route(_PLANNING_DESK, "メール", False, "執務時間外(緊急性なし)"),
    route_after_hours_urgent=Route(_DUTY_OFFICER, "電話", False, "緊急性があるため総合当直へ"),
)

CATEGORY_RULES: dict[str, CategoryRule] = {
    rule.code: rule for rule in (
        CategoryRule(
            "threat", "脅威事犯", "【{subtype}事案】", "声かけ",
            frozenset({VICTIM, GUARDIAN}), False,
            "被害者本人(成人)または保護者(少年)のメール配信の承諾が記録されていません",
            urgent_path=False, whole_prefecture=False,
            route_office=Route("生活安全企画課 子供・女性の安全対策係", "電話", True),
            route_after_hours=Route("生活安全企画課 犯罪抑止対策係", "メール", False),
            consent_follows_victim=True, outcome_expected=True,
        ),
        CategoryRule(
            "fugitive", "凶悪事案等逃走事案", "【緊急・逃走事案】", "逃走",
            frozenset(), False, "", urgent_path=True, whole_prefecture=True,
            route_office=Route(_PLANNING_DESK, "電話", True, "直ちに報告"),
            route_after_hours=Route(_DUTY_OFFICER, "電話", False, "直ちに報告"),
            outcome_expected=True, quiet_hours_exempt=True,
        ),
        CategoryRule(
            "fraud", "うそ電話詐欺", "【うそ電話詐欺】", "うそ電話詐欺",
            frozenset(), False, "", urgent_path=False, whole_prefecture=False,
            **_PROMPT_ROUTES,
        ),
        CategoryRule(
            "community", "地域に有益な情報", "【地域安全情報】", "お知らせ",
            frozenset(), False, "", urgent_path=False, whole_prefecture=False,
            **_PROMPT_ROUTES,
        ),
        CategoryRule(
            "missing", "高齢者等の行方不明事案", "【行方不明者】", "行方不明",
            frozenset({REQUEST_FORM}), True,
            f"{REQUEST_FORM}(「{SERVICE_NAME}」にチェック)が記録されていません",
            urgent_path=False, whole_prefecture=False,
            route_office=Route("人身安全・少年課 担当係", "電話", True, "速やかに報告"),
            route_after_hours=Route("人身安全・少年課 担当係", "電話", False, "速やかに報告"),
            outcome_expected=True, quiet_hours_exempt=True,
        ),
    )
}


class UnknownCategory(AnshinError):
    """A category code the directive does not know."""


def category_rule(code: str) -> CategoryRule:
    """The directive's rule for ``code``; the error lists the categories there are."""
    try:
        return CATEGORY_RULES[code]
    except (KeyError, TypeError):
        known = "、".join(f"{c}({r.label})" for c, r in CATEGORY_RULES.items())
        raise UnknownCategory(f"分類「{code}」は配信対象の分類ではありません(使えるのは {known})") from None


def consent_kind_for(minor: bool) -> str:
    """Whose consent a victim's alert needs (§6(2)): the guardian's for a minor, the person's own for an adult."""
    return GUARDIAN if minor else VICTIM


def consent_requirements(category: str, minors=None) -> tuple[frozenset[str], ...]:
    """What ``category`` needs: one set of acceptable kinds per requirement (empty: nothing needed).

    Where consent follows the victim (脅威事犯), ``minors`` holds one flag per
    victim (True: a minor, or one who may be); an empty ``minors`` is a victim
    nobody recorded and counts as a minor. With ``minors`` None the victims
    are not considered and any of the category's kinds does.

    >>> consent_requirements("threat", [False, True])
    (frozenset({'保護者'}), frozenset({'本人'}))
    >>> consent_requirements("threat", [])
    (frozenset({'保護者'}),)
    """
    rule = category_rule(category)
    if not rule.needs_consent:
        return ()
    if rule.consent_follows_victim and minors is not None:
        kinds = {consent_kind_for(bool(minor)) for minor in (list(minors) or [True])}
        return tuple(frozenset({kind}) for kind in sorted(kinds, key=CONSENT_KINDS.index, reverse=True))
    return (rule.consent_kinds,)


def consent_satisfied(category: str, consents, *, minors=None) -> bool:
    """Whether recorded ``consents`` — pairs of (kind, 「県警あんしんメール」 ticked) — satisfy ``category``.

    ``minors`` as :func:`consent_requirements` reads it: with the victims'
    flags, a minor's alert needs the guardian's consent and an adult's the
    person's own; every requirement must be met.
    """
    rule = category_rule(category)
    consents = list(consents)
    return all(any(kind in kinds and (ticked or not rule.consent_needs_tick) for kind, ticked in consents)
               for kinds in consent_requirements(category, minors))


def consent_missing_text(category: str, minors=None, consents=()) -> str:
    """The one-line refusal naming the consent still needed (and, for a minor, why the person's own does not do)."""
    rule = category_rule(category)
    if not (rule.consent_follows_victim and minors is not None):
        return rule.consent_missing
    recorded = {kind for kind, _ in consents}
    missing = [kinds for kinds in consent_requirements(category, minors) if not kinds & recorded]
    needed = "と".join(next(iter(kinds)) for kinds in missing) or GUARDIAN
    why = ("被害者が未成年か、年代が確認できない(未成年として扱います)ため" if GUARDIAN in needed
           else "被害者が成人のため")
    shown = f"(記録されているのは{'・'.join(sorted(recorded))}の承諾です)" if recorded else ""
    return f"{why}、{needed}のメール配信の承諾が必要ですが記録されていません{shown}"


def consent_refused(value) -> bool:
    """Whether an incident record says consent was refused (it may then never be published)."""
    return value == CONSENT_REFUSED
