"""所属: which station or HQ division an account belongs to, whose alert an alert is, and who may act on it.

A station role (analyst, station chief) acts on the alerts of its own
station; an HQ role (and an analyst of an HQ division) acts prefecture-wide.
An alert's station is the one it names (``area_codes["station"]``), else
that of its incidents, else the drafting analyst's (recorded when it was
drafted, ``alerts.station``); an alert with none of these is HQ's (本部),
prefecture-wide. The station chief's judgement on such an alert may be given
by the chief of any station (the head of 生活安全企画課 approves it in any case).

A station chief whose 所属 is not recorded (an account made before accounts
had one) is refused until an admin records it (``anshin users
set-affiliation``): failing closed, not prefecture-wide.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import sqlalchemy as sa

from anshin_lab.core.directive import HQ, HQ_DIVISIONS, STATION_SUFFIX
from anshin_lab.core.errors import PermissionDenied, WorkflowError
from anshin_lab.storage.schema import alerts, incidents
from anshin_lab.workflow.rules import Role

# Roles whose account may belong to a station; every other role belongs to HQ.
STATION_ROLES = frozenset({Role.ANALYST, Role.STATION_CHIEF})
SET_AFFILIATION = "anshin users set-affiliation {user} --affiliation 署名 --user 管理者"


def station_name(text: str | None, stations: Collection[str] | None = None) -> str | None:
    """「鹿児島中央署」「鹿児島中央」→「鹿児島中央警察署」; an HQ division, or nothing, as it is.

    A bare name (「鹿児島中央」) is read as a station only when ``stations`` has it (or none is given).
    """
    text = " ".join(str(text or "").split())
    if not text or text in HQ_DIVISIONS or text.endswith(STATION_SUFFIX):
        return text or None
    if text.endswith("署"):
        return text[:-1] + STATION_SUFFIX
    candidate = text + STATION_SUFFIX
    return candidate if stations is None or candidate in stations else text


def is_station(affiliation: str | None) -> bool:
    """Whether ``affiliation`` names a police station (rather than an HQ division)."""
    return bool(affiliation) and str(affiliation).endswith(STATION_SUFFIX)


def resolve_affiliation(role: Role | str, affiliation: str | None, stations: Collection[str] | None = None) -> str:
    """The 所属 to record for an account of ``role``; ``WorkflowError`` naming the choices when it cannot be.

    A station chief names a station; an analyst a station or an HQ division;
    every other role an HQ division (本部 when none is given). ``stations``
    is the station table's names (None: any name ending in 警察署).
    """
    role = Role(role)
    name = station_name(affiliation, stations)
    if name is None:
        if role == Role.STATION_CHIEF:
            raise WorkflowError("署長の所属(警察署)を --affiliation で指定してください(例: 鹿児島中央警察署)")
        if role == Role.ANALYST:
            raise WorkflowError("分析担当の所属(警察署、または本部の課)を --affiliation で指定してください"
                                f"(例: 鹿児島中央警察署、{HQ_DIVISIONS[1]})")
        return HQ
    if is_station(name):
        if role not in STATION_ROLES:
            raise WorkflowError(f"{role.label}の所属は本部の課です({'・'.join(HQ_DIVISIONS)}。警察署「{name}」は選べません)")
        if stations is not None and name not in stations:
            raise WorkflowError(f"所属「{name}」は警察署テーブルにありません(警察署テーブルの名前で指定してください)")
        return name
    if role == Role.STATION_CHIEF:
        raise WorkflowError(f"署長の所属は警察署です(「{name}」は警察署ではありません)")
    if name not in HQ_DIVISIONS:
        raise WorkflowError(f"所属「{name}」は使えません(警察署テーブルの警察署か、{'・'.join(HQ_DIVISIONS)})")
    return name


def effective_affiliation(role: Role | str, stored: str | None) -> str | None:
    """What an account's 所属 means now: the stored one, 本部 for an HQ role or analyst without one, None for a chief."""
    if stored:
        return stored
    return None if Role(role) == Role.STATION_CHIEF else HQ


def incident_stations(conn: sa.Connection, incident_ids: Iterable) -> list[str]:
    """The distinct stations of the stored incidents among ``incident_ids``, in their order."""
    ids = [str(i) for i in incident_ids or ()]
    if not ids:
        return []
    rows = dict(conn.execute(sa.select(incidents.c.incident_id, incidents.c.station)
                             .where(incidents.c.incident_id.in_(ids))).all())
    return list(dict.fromkeys(rows[i] for i in ids if rows.get(i)))


def content_station(conn: sa.Connection, area_codes: dict | None, incident_ids) -> str | None:
    """The station an alert's content names: ``area_codes["station"]``, else its (first) incident's station."""
    named = (area_codes or {}).get("station")
    if named:
        return str(named)
    found = incident_stations(conn, incident_ids)
    return found[0] if found else None


def alert_station(conn: sa.Connection, alert) -> str | None:
    """Whose alert ``alert`` is: the station its content names, else the one recorded when drafted (None: 本部)."""
    named = content_station(conn, alert.area_codes, alert.incident_ids)
    if named:
        return named
    return conn.execute(sa.select(alerts.c.station).where(alerts.c.alert_id == alert.alert_id)).scalar()


def require_station(role: Role, affiliation: str | None, station: str | None, *, alert_id: int | None = None,
                    username: str = "", what: str | None = None) -> None:
    """Refuse (``PermissionDenied`` naming the station) a station role acting outside its station.

    ``affiliation`` is the account's stored 所属; ``station`` the alert's (None: 本部); ``what`` names
    the thing acted on when it is not an alert (「事案 K-1」).
    """
    role = Role(role)
    if role not in STATION_ROLES:
        return
    mine = effective_affiliation(role, affiliation)
    if mine is None:
        raise PermissionDenied(f"{username or role.label}の所属(警察署)が記録されていません"
                               f"(管理者が {SET_AFFILIATION.format(user=username or 'ユーザー名')} で記録します)")
    if not is_station(mine) or mine == station:
        return
    if station is None and role == Role.STATION_CHIEF:
        return  # 本部の配信: any station chief may give the station chief's judgement
    kind = "事案" if what else "配信"
    what = f"{what} " if what else (f"配信 #{alert_id} " if alert_id is not None else "この配信")
    whose = f"{station}の{kind}" if station else f"本部(県全体)の{kind}"
    raise PermissionDenied(f"{what}は{whose}です。{mine}の{role.label}は扱えません"
                           f"(扱えるのは{station or '本部'}の{role.label}と本部の担当者)")
