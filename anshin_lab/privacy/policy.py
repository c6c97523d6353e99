"""The privacy guard: how precisely an incident's place may be published, and why.

The directive (§5(2), §5(5)) publishes the block (街区) and the kind of place,
never the 号, an exact point or a facility's name, and broadens the place
whenever a victim could be identified. ``assess`` turns one incident into a
``Decision``: the level of the granularity ladder, the published area and its
households, the public text, and the reasons an approver reads. The rules are
one configurable ``Policy``, and they fail closed: a victim group the policy
does not know counts as a minor, a place type it does not know as a home, and
a place type that names the one facility of a block (学校, 駅, 公園 …) is
never published finer than its 町丁目.

``adjust`` changes a decision by hand, with a reason. Coarser is always
allowed; finer than assessed needs two approvers of different roles. Two
rules hold whoever approves: the published area holds at least k households,
and a block is published only where ``assess`` could have published one (a
住居表示 block, in a populous 町丁目, at a place that is not one facility).

The text lint (facility names, persons, exact addresses, phones, emails) lives
in ``anshin_lab.privacy.lint``; ``anshin_lab.privacy`` exports both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from anshin_lab.core.directive import PREF_CODE
from anshin_lab.core.errors import AnshinError
from anshin_lab.core.glossary import MINOR_GROUPS, PLACE_TYPES, VICTIM_GROUPS
from anshin_lab.core.granularity import Granularity
from anshin_lab.places.address import Address, AddressError, parse

__all__ = ["DEFAULT_POLICY", "PLACE_WORDING", "Decision", "Policy", "PrivacyError", "adjust", "assess", "place_wording"]

UNKNOWN = "不明"  # the vocabularies' word for "not recorded"
HOME_PLACE_TYPES = frozenset({"住宅", "住宅敷地内", "集合住宅共用部"})


class PrivacyError(AnshinError):
    """A change to a decision that the privacy rules do not allow."""


@dataclass(frozen=True)
class Policy:
    """The rules ``assess`` applies. Every number and list here is a judgement: change it here only.

    - ``min_households`` (k): the published area must hold at least k
      households, as police.uk requires of its snap points; census households
      per small area are in the reference data. ``adjust`` never goes below it.
    - ``block_min_chome_households``: BLOCK is published only where the 町丁目
      holds at least this many households, so one block is one of many.
    - ``minor_level``: no finer than this when the victim is a minor, or may be
      one: a victim group outside ``not_minor_groups`` (「不明」, 「児童」 as
      written, nothing at all) counts as a minor.
    - ``home_level``: no finer than this when the place is a home
      (``home_place_types``): the place type already narrows it to a house. A
      place type outside ``known_place_types`` (「不明」, 「自宅」 as written,
      nothing at all) counts as a home.
    - ``facility_level``: no finer than this when the place type names a
      facility (``facility_place_types``): on one block, 「…12番付近の学校付近」
      is the one school there.
    - ``repeat_level``: no finer than this when the same victim was targeted before.
    - ``sensitive_subtypes``: subtypes (ストーカー, DV, sexual crimes) whose
      victim is easily inferred: published no finer than ``sensitive_level``,
      and not sent at all when they happened at the victim's home (or may have).
    """

    min_households: int = 8
    block_min_chome_households: int = 100
    minor_level: Granularity = Granularity.CHOME
    home_level: Granularity = Granularity.TOWN
    facility_level: Granularity = Granularity.CHOME
    repeat_level: Granularity = Granularity.TOWN
    sensitive_level: Granularity = Granularity.CITY
    not_minor_groups: frozenset = frozenset(VICTIM_GROUPS) - MINOR_GROUPS - {UNKNOWN}
    home_place_types: frozenset = HOME_PLACE_TYPES
    known_place_types: frozenset = frozenset(PLACE_TYPES) - {UNKNOWN}
    facility_place_types: frozenset = frozenset({"学校", "駅", "バス停", "店舗", "施設", "公園"})
    sensitive_subtypes: frozenset = frozenset({
        "ストーカー", "つきまとい(ストーカー)", "DV", "配偶者暴力", "性犯罪", "強制わいせつ", "不同意わいせつ",
        "強制性交", "不同意性交", "痴漢(住居内)", "住居侵入(性的目的)",
    })

    def may_be_minor(self, victim_group) -> bool:
        """Whether the victim is, or may be, a minor: anything but a known adult group (or 該当なし)."""
        return _value(victim_group) not in self.not_minor_groups

    def may_be_home(self, place_type) -> bool:
        """Whether the place is, or may be, a home: a home place type, or one the policy does not know."""
        place = _value(place_type)
        return place in self.home_place_types or place not in self.known_place_types


DEFAULT_POLICY = Policy()

# How each place type is written in public (「<area>付近の<wording>」); None: no wording.
PLACE_WORDING = {
    "路上": "路上", "歩道": "路上", "駐車場": "駐車場", "駐輪場": "駐輪場", "公園": "公園", "店舗": "店舗",
    "施設": "施設", "学校": "学校付近", "駅": "駅付近", "バス停": "バス停付近", "住宅": "住宅",
    "住宅敷地内": "住宅敷地内", "集合住宅共用部": "集合住宅", "河川敷": "河川敷", "山林": "山林", "海岸": "海岸",
    "車内": "車内", "不明": None,
}

_AREA_LEVELS = (Granularity.CHOME, Granularity.TOWN, Granularity.CITY, Granularity.PREF)
_CODE_COLUMN = {Granularity.CHOME: "chome_code", Granularity.TOWN: "town_code",
                Granularity.CITY: "city_code", Granularity.PREF: "pref_code"}


@dataclass(frozen=True)
class Decision:
    """How an incident's place is published, and why.

    ``area_code``/``area_name``/``households`` are those of the published
    area (for BLOCK, of its 町丁目): an approver sees how many households the
    text points into. ``send_recommended`` is False when the rules advise not
    sending at all; the station chief still decides. ``approved_by`` names the
    approvers (name, role) of a level finer than assessed. ``codes`` (level ->
    code), ``address`` and ``place_type`` are kept so the decision can be
    re-rendered at another level; they are internal, never published.
    """

    level: Granularity
    area_code: str | None
    area_name: str
    households: int | None
    public_text: str
    reasons: tuple[str, ...]
    send_recommended: bool = True
    assessed_level: Granularity | None = None
    wording: str | None = None
    codes: dict = field(default_factory=dict, repr=False, compare=False)
    address: Address | None = field(default=None, repr=False, compare=False)
    place_type: str | None = field(default=None, repr=False, compare=False)
    approved_by: tuple[tuple[str, str], ...] = ()

    @property
    def area_text(self) -> str:
        """The public text without the place wording: 「鹿児島市紫原3丁目12番付近」, 「鹿児島市内」."""
        if self.wording and self.public_text.endswith("の" + self.wording):
            return self.public_text[: -len(self.wording) - 1]
        return self.public_text

    @property
    def households_text(self) -> str:
        """The published area and its households for an approver: 「紫原3丁目 1,935世帯」.

        A block is counted by its 町丁目: 「紫原3丁目12番(町丁目全体で1,935世帯)」.
        """
        if self.households is None:
            return f"{self.area_name}(世帯数不明)"
        if self.level == Granularity.BLOCK:
            return f"{self.area_name}(町丁目全体で{self.households:,}世帯)"
        return f"{self.area_name} {self.households:,}世帯"


def place_wording(place_type) -> str | None:
    """The public wording of a place type (「駅」→「駅付近」); None for unknown or 不明."""
    return PLACE_WORDING.get(str(place_type)) if place_type is not None else None


def assess(incident, areas, policy: Policy = DEFAULT_POLICY, *, repeat_victim: bool | None = None) -> Decision:
    """Decide the granularity at which an incident's place may be published.

    ``incident`` is one row of the incidents table (a mapping or Series with
    the canonical fields: ``address``, ``lat``, ``lon``, ``place_type``,
    ``victim_group``, ``subtype``, …); ``areas`` an ``AreaSet``.
    ``repeat_victim`` (or a truthy ``repeat_victim`` field) says the same victim
    was targeted before. Never raises on an address it cannot read or a point
    outside every area: it places what it can, or falls back to CITY or PREF,
    and says so in ``reasons``. Fails closed on what it does not know: an
    unknown victim group is a minor, an unknown place type a home.
    """
    row = dict(incident)
    reasons: list[str] = []
    address = _parse(row.get("address"), reasons)
    codes = _codes(row, address, areas, reasons)
    level = _finest_stated(address, codes, reasons)
    level, send = _victim_rules(row, level, policy, reasons, repeat_victim)
    place_type = _value(row.get("place_type")) or None
    if level < policy.facility_level and place_type in policy.facility_place_types:
        level = policy.facility_level
        reasons.append(f"発生場所が{place_type}で、街区では1つの施設を指してしまうため、{level.label}まで広げました")
    if level == Granularity.BLOCK:
        chome_households = areas.households(Granularity.CHOME, codes[Granularity.CHOME])
        if chome_households < policy.block_min_chome_households:
            level = Granularity.CHOME
            reasons.append(f"{_name(areas, address, codes, Granularity.CHOME)}は世帯数が{chome_households}世帯と少なく、"
                           f"街区では特定されやすいため、町丁目までにしました")
    level = _enough_households(areas, address, codes, level, policy, reasons)
    wording = place_wording(place_type)
    return _decision(areas, address, codes, level, wording, tuple(reasons), send, assessed=level,
                     place_type=place_type)


def adjust(decision: Decision, level, areas, *, reason: str, approvers: Iterable = (),
           policy: Policy = DEFAULT_POLICY) -> Decision:
    """The decision re-rendered at another level, by hand.

    Coarser than assessed is always allowed (with a ``reason``). Finer needs
    ``approvers``: at least two (name, role) pairs of different people in
    different roles (the workflow records both). Whoever approves, the
    published area never holds fewer than ``policy.min_households``
    households, a block is published only where ``assess`` could have
    published one (a 住居表示 block in a 町丁目 of at least
    ``policy.block_min_chome_households`` households, at a place type that
    is not a facility), and EXACT never. Raises ``PrivacyError`` with the
    households in its message.
    """
    level = Granularity.parse(level)
    if not reason or not reason.strip():
        raise PrivacyError("公表する粒度を変えるには理由が必要です")
    assessed = decision.assessed_level or decision.level
    if level == Granularity.EXACT:
        raise PrivacyError("号・地点の粒度では公表できません")
    people = _approvers(approvers)
    if level < assessed:
        _require_two_approvers(people, level, assessed)
    if level < Granularity.PREF and decision.codes.get(max(level, Granularity.CHOME)) is None:
        raise PrivacyError(f"この事案の{level.label}は分かっていません")
    if level == Granularity.BLOCK:
        _require_block(decision, areas, policy)
    _require_households(decision, level, areas, policy)
    names = "・".join(f"{name}({role})" for name, role in people)
    who = f"{names}が" if people and level < assessed else ""
    note = f"{who}{'細かく' if level < decision.level else '広く'}{level.label}に変更しました(理由: {reason.strip()})"
    return _decision(areas, decision.address, decision.codes, level, decision.wording,
                     decision.reasons + (note,), decision.send_recommended, assessed=assessed,
                     place_type=decision.place_type, approved_by=people if level < assessed else ())


# -- the guards of adjust -----------------------------------------------------

def _approvers(approvers: Iterable) -> tuple[tuple[str, str], ...]:
    """(name, role) pairs, trimmed, without blanks or repeats."""
    people = []
    for entry in approvers or ():
        name, role = entry if isinstance(entry, (tuple, list)) else (entry, "")
        name, role = str(name or "").strip(), str(role or "").strip()
        if name and (name, role) not in people:
            people.append((name, role))
    return tuple(people)


def _require_two_approvers(people, level: Granularity, assessed: Granularity) -> None:
    names = {name for name, _ in people}
    roles = {role for _, role in people if role}
    if len(names) < 2 or len(roles) < 2:
        given = "、".join(f"{name}({role or '役職なし'})" for name, role in people) or "なし"
        raise PrivacyError(f"判定({assessed.label})より細かい{level.label}で公表するには、役職の異なる2人の"
                           f"承認者が必要です(指定: {given})")


def _require_block(decision: Decision, areas, policy: Policy) -> None:
    """The BLOCK rule of ``assess``, which no approver lifts."""
    address = decision.address
    if address is None or address.is_jiban or address.block is None:
        raise PrivacyError("街区で公表できるのは住居表示の住所(「N番」)がある場合だけです")
    if decision.place_type in policy.facility_place_types:
        raise PrivacyError(f"発生場所が{decision.place_type}のため、街区では1つの施設を指してしまいます。"
                           f"{policy.facility_level.label}より細かくは公表できません")
    chome = decision.codes.get(Granularity.CHOME)
    households = areas.households(Granularity.CHOME, chome)
    if households < policy.block_min_chome_households:
        raise PrivacyError(f"{_name(areas, address, decision.codes, Granularity.CHOME)}は{households:,}世帯で、"
                           f"街区で公表できるのは{policy.block_min_chome_households:,}世帯以上の町丁目だけです")


def _require_households(decision: Decision, level: Granularity, areas, policy: Policy) -> None:
    """At least k households in the area published at ``level``, whoever approves."""
    if level == Granularity.PREF:
        return
    area_level = max(level, Granularity.CHOME)
    households = areas.households(area_level, decision.codes[area_level])
    if households < policy.min_households:
        name = _name(areas, decision.address, decision.codes, area_level)
        raise PrivacyError(f"{name}は{households:,}世帯で、{policy.min_households}世帯に満たないため"
                           f"{level.label}では公表できません(誰が承認しても変えられません)")


# -- steps of assess ---------------------------------------------------------

def _parse(text, reasons: list[str]) -> Address | None:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return parse(text)
    except AddressError as exc:
        reasons.append(f"発生場所の住所を読めないため、座標から地域を決めました({exc.message})")
        return None


def _codes(row: dict, address: Address | None, areas, reasons: list[str]) -> dict:
    """The incident's area code at each level: the address text first, else the point."""
    from_address = areas.place_address(row["address"]) if address is not None else None
    point = pd.DataFrame([{"lat": _number(row.get("lat")), "lon": _number(row.get("lon")), "address": None}])
    placed = areas.assign(point).iloc[0] if point[["lat", "lon"]].notna().all(axis=1).iloc[0] else None
    from_point = None
    if placed is not None and placed["placement"] != "outside":
        from_point = {level: _text(placed[column]) for level, column in _CODE_COLUMN.items()}
        if placed["placement"] == "nearest":
            reasons.append("座標がどの小地域にも入らないため、最も近い小地域に割り当てました")
    if from_address is not None:
        codes = {Granularity.CHOME: from_address["chome_code"], Granularity.TOWN: from_address["town_code"],
                 Granularity.CITY: from_address["city_code"], Granularity.PREF: PREF_CODE}
        if from_point and codes[Granularity.CHOME] and from_point[Granularity.CHOME] != codes[Granularity.CHOME]:
            reasons.append("住所と座標の小地域が一致しません。住所を優先しました(座標を確認してください)")
        if codes[Granularity.CHOME] is None and from_point and from_point[Granularity.TOWN] == codes[Granularity.TOWN]:
            codes[Granularity.CHOME] = from_point[Granularity.CHOME]
        return codes
    if from_point is not None:
        return from_point
    if row.get("lat") is not None and not pd.isna(row.get("lat")):
        reasons.append("座標が鹿児島県のどの地域にも入りません")
    reasons.append("発生場所を特定できないため、県内として扱います")
    return {Granularity.CHOME: None, Granularity.TOWN: None, Granularity.CITY: None, Granularity.PREF: PREF_CODE}


def _finest_stated(address: Address | None, codes: dict, reasons: list[str]) -> Granularity:
    """The finest level the record supports, before any risk rule."""
    if address is not None:
        if address.is_jiban and address.block is not None:
            reasons.append("地番の住所(「番地」)は1軒に近いため、町・大字より細かくは公表しません")
            level = Granularity.TOWN
        elif address.block is not None:
            level = Granularity.BLOCK
        elif address.chome is not None:
            level = Granularity.CHOME
        elif address.town is not None:
            level = Granularity.TOWN
        else:
            level = Granularity.CITY
    else:
        # A point without a written block: at most its small area.
        level = Granularity.CHOME
    while level < Granularity.PREF and codes.get(max(level, Granularity.CHOME)) is None:
        level = Granularity(level + 1)
    return level


def _victim_rules(row: dict, level: Granularity, policy: Policy, reasons: list[str],
                  repeat_victim: bool | None) -> tuple[Granularity, bool]:
    """The rules on who the victim is and where: each broadens (never narrows) and says why."""
    send = True
    subtype = _value(row.get("subtype"))
    group, place = _value(row.get("victim_group")), _value(row.get("place_type"))
    at_home = policy.may_be_home(place)
    if policy.may_be_minor(group) and level < policy.minor_level:
        level = policy.minor_level
        if group in MINOR_GROUPS:
            reasons.append(f"被害者が未成年({group})のため、{level.label}まで広げました")
        else:
            known = f"「{group}」からは" if group and group != UNKNOWN else "が記録されておらず、"
            reasons.append(f"被害者の学職・年代{known}未成年でないと確かめられないため、"
                           f"未成年として{level.label}まで広げました")
    if at_home and level < policy.home_level:
        level = policy.home_level
        if place in policy.home_place_types:
            reasons.append(f"発生場所が{place}で被害者宅が推認されやすいため、{level.label}まで広げました")
        else:
            known = f"「{place}」からは" if place and place != UNKNOWN else "が記録されておらず、"
            reasons.append(f"場所属性{known}住宅でないと確かめられないため、住宅として{level.label}まで広げました")
    repeat = repeat_victim if repeat_victim is not None else bool(row.get("repeat_victim"))
    if repeat and level < policy.repeat_level:
        level = policy.repeat_level
        reasons.append(f"同じ被害者への繰り返しの事案のため、{level.label}まで広げました")
    if any(word in subtype for word in policy.sensitive_subtypes):
        if level < policy.sensitive_level:
            level = policy.sensitive_level
            reasons.append(f"手口「{subtype}」は被害者が推認されやすいため、{level.label}まで広げました")
        if at_home:
            send = False
            where = "被害者宅で起きている" if place in policy.home_place_types else "被害者宅で起きたおそれがある"
            reasons.append(f"手口「{subtype}」が{where}ため、配信しないことを勧めます")
    return level, send


def _enough_households(areas, address, codes, level: Granularity, policy: Policy, reasons: list[str]) -> Granularity:
    """Broaden until the published area holds at least k households."""
    while level < Granularity.PREF:
        area_level = max(level, Granularity.CHOME)
        households = areas.households(area_level, codes[area_level])
        if households >= policy.min_households:
            return level
        coarser = Granularity(area_level + 1)
        while coarser < Granularity.PREF and codes.get(coarser) is None:
            coarser = Granularity(coarser + 1)
        reasons.append(f"{_name(areas, address, codes, area_level)}は世帯数が少ない({households}世帯)ため、"
                       f"{_name(areas, address, codes, coarser)}まで広げました")
        level = coarser
    return level


def _decision(areas, address, codes, level: Granularity, wording, reasons, send, *, assessed,
              place_type=None, approved_by=()) -> Decision:
    area_level = max(level, Granularity.CHOME)
    code = codes.get(area_level)
    households = areas.households(area_level, code) if code is not None else None
    area_text = _full_text(areas, address, codes, level)
    if level >= Granularity.CITY:
        public = f"{area_text}内の{wording}" if wording else f"{area_text}内"
    else:
        public = f"{area_text}付近の{wording}" if wording else f"{area_text}付近"
    return Decision(level, code, _name(areas, address, codes, level), households, public, tuple(reasons), send,
                    assessed, wording, dict(codes), address, place_type, tuple(approved_by))


def _full_text(areas, address, codes, level: Granularity) -> str:
    """The area written for the public at ``level``, with its municipality."""
    if level == Granularity.PREF:
        return areas.name(Granularity.PREF, PREF_CODE)
    if address is not None:
        return address.at(level)
    city = areas.name(Granularity.CITY, codes[Granularity.CITY])
    return city if level == Granularity.CITY else city + areas.name(level, codes[level])


def _name(areas, address, codes, level: Granularity) -> str:
    """The area's own name at ``level`` (「紫原3丁目」, 「紫原」, 「鹿児島市」)."""
    text = _full_text(areas, address, codes, level)
    if level < Granularity.CITY:
        city = address.city if address is not None else areas.name(Granularity.CITY, codes[Granularity.CITY])
        return text.removeprefix(city)
    return text


def _number(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None


def _text(value):
    return None if value is None or pd.isna(value) else str(value)


def _value(value) -> str:
    """A vocabulary field as trimmed text; None and NaN are ``""``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()

