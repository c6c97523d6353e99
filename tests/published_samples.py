"""Published alerts made by hand (no workspace): for the fast CAP and open-data tests.

They have the shape ``app.public_data.published_alerts`` returns, with
published fields of the fixed vocabularies only, and areas that are small
real-looking polygons near 鹿児島市.
"""

from __future__ import annotations

import pandas as pd
from shapely.geometry import MultiPolygon, Polygon, box

from anshin_lab.app.public_data import PublishedAlert, PublishedFollowUp
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting.languages.published import PUBLISHED_KEYS

SENDER = "anshin@example.jp"
# 本名町 (鹿児島市): a town of a few square kilometres, with a notch so that its outline is not convex.
TOWN = Polygon([(130.5137, 31.7058), (130.5180, 31.7161), (130.5353, 31.7180), (130.5586, 31.6918),
                (130.5519, 31.6807), (130.5400, 31.6960), (130.5362, 31.6802), (130.5229, 31.6852)])
# 知名町 as two islands (a MultiPolygon, like the municipalities of the Amami islands).
ISLANDS = MultiPolygon([box(128.60, 27.35, 128.70, 27.45), box(128.75, 27.30, 128.78, 27.33)])


def fields(**values) -> dict:
    """Published fields: every key of ``PUBLISHED_KEYS``, None unless given."""
    return {**dict.fromkeys(PUBLISHED_KEYS), **values}


def tokyo(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="Asia/Tokyo")


THREAT_FIELDS = fields(category="threat", subtype="声かけ", date="2026-11-20", time_band="evening",
                       city_code="46201", city="鹿児島市", area_name="本名町", level="TOWN",
                       victim_group="小学生", place_type="路上", station="鹿児島中央警察署")
MISSING_FIELDS = fields(category="missing", subtype="行方不明(高齢者)", date="2026-11-21", time_band="morning",
                        city_code="46534", city="大島郡知名町", area_name="", level="CITY",
                        victim_group="70代", station="沖永良部警察署")


def followup(alert_id: int, outcome: str, sent: str, base: dict, original: int) -> PublishedFollowUp:
    return PublishedFollowUp(alert_id=alert_id, outcome=outcome, subject="", body="", public_text="",
                             sent_at=tokyo(sent), fields={**base, "outcome": outcome, "original_alert_id": original})


def threat_alert() -> PublishedAlert:
    """A 声かけ alert at the town level with a correction and then an arrest."""
    return PublishedAlert(
        alert_id=4, category="threat", category_label="脅威事犯", subject="【声かけ事案】鹿児島市本名町付近", body="",
        public_text="鹿児島市本名町付近の路上", sent_at=tokyo("2026-11-20 18:05:07"), level=Granularity.TOWN,
        area_level=Granularity.TOWN, area_code="462017040", area_name="本名町",
        area_codes={"city_code": "46201", "town_code": "462017040"}, city_code="46201", city="鹿児島市",
        geometry=TOWN, fields=THREAT_FIELDS,
        followups=(followup(30, "訂正", "2026-11-21 09:00:00", THREAT_FIELDS, 4),
                   followup(31, "検挙", "2026-11-25 10:30:00", THREAT_FIELDS, 4)))


def missing_alert() -> PublishedAlert:
    """A missing-person alert for a whole island municipality, then found (発見)."""
    return PublishedAlert(
        alert_id=7, category="missing", category_label="高齢者等の行方不明事案", subject="【行方不明者】大島郡知名町内",
        body="", public_text="大島郡知名町内", sent_at=tokyo("2026-11-21 08:00:00"), level=Granularity.CITY,
        area_level=Granularity.CITY, area_code="46534", area_name="大島郡知名町", area_codes={"city_code": "46534"},
        city_code="46534", city="大島郡知名町", geometry=ISLANDS, fields=MISSING_FIELDS,
        followups=(followup(8, "発見", "2026-11-21 15:00:00", MISSING_FIELDS, 7),))


def sample_alerts() -> list[PublishedAlert]:
    return [threat_alert(), missing_alert()]
