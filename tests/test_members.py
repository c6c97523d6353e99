"""Members: validation with quarantine, idempotent import, opt-in/out tokens, recipients, counts."""

from __future__ import annotations

import os
import stat
from types import SimpleNamespace

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anshin_lab import delivery as members
from anshin_lab.storage import store
from anshin_lab.core.errors import DataError, DeliveryError
from anshin_lab.app import imports
from anshin_lab.delivery import member_counts, select_recipients
from anshin_lab.records.members import AreaDirectory, check_members, read_member_table
from anshin_lab.storage.members import save_members

# A small directory of areas, shaped like the real one (鹿児島市 has several station districts).
DIRECTORY = AreaDirectory(
    cities={"鹿児島市": "46201", "奄美市": "46222", "大島郡瀬戸内町": "46525", "霧島市": "46218"},
    stations={"鹿児島中央警察署": ("46201",), "鹿児島南警察署": ("46201",), "奄美警察署": ("46222", "46525"),
              "霧島警察署": ("46218",)},
)
COLUMNS = ["member_id", "email", "categories", "areas", "status", "opted_in_at", "is_staff"]
GOOD = {"member_id": "M1", "email": "taro.k1@example.jp", "categories": "threat;fraud", "areas": "鹿児島市",
        "status": "active", "opted_in_at": "2024-04-01T09:00:00+09:00", "is_staff": "False"}


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([{**GOOD, **r} for r in rows], columns=COLUMNS, dtype=object)


@pytest.fixture
def engine(tmp_path):
    engine = store.connect(f"sqlite:///{tmp_path / 'm.sqlite'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def directory(built_workspace):
    return imports.load_area_directory(built_workspace.root)


def test_good_rows_are_accepted_in_canonical_form():
    checked = check_members(frame({}, {"member_id": "M2", "email": "Yuki_Sato07@Example.COM", "categories": "うそ電話詐欺、脅威事犯",
                                       "areas": "瀬戸内町;鹿児島中央署;鹿児島県", "is_staff": "はい"}), DIRECTORY)
    assert checked.accepted == 2 and checked.rejected.empty
    second = checked.records[1]
    assert second["email"] == "Yuki_Sato07@example.com"  # the domain is case-insensitive, the local part is kept
    assert second["categories"] == ["threat", "fraud"]  # the glossary's order
    assert second["areas"] == [("city", "46525", "大島郡瀬戸内町"), ("station", "鹿児島中央警察署", "鹿児島中央警察署"),
                               ("pref", "46", "鹿児島県")]
    assert second["is_staff"] is True
    assert str(second["opted_in_at"].tz) == "Asia/Tokyo"


@pytest.mark.parametrize(("change", "column", "reason"), [
    ({"email": "taro..k@docomo.ne.jp"}, "email", "古い携帯電話のアドレス"),
    ({"email": "taro@"}, "email", "形式が正しくありません"),
    ({"email": "太郎@example.jp"}, "email", "形式が正しくありません"),  # SMTPUTF8: the carriers cannot receive it
    ({"email": ""}, "email", "空です"),
    ({"categories": "threat;交通違反"}, "categories", "交通違反"),
    ({"areas": "東京都千代田区"}, "areas", "東京都千代田区"),
    ({"areas": ""}, "areas", "空です"),
    ({"status": "休止"}, "status", "休止"),
    ({"opted_in_at": "2025-02-30 10:00"}, "opted_in_at", "存在しない日付"),
    ({"is_staff": "たぶん"}, "is_staff", "職員"),
])
def test_bad_rows_are_rejected_with_row_column_reason_and_values(change, column, reason):
    checked = check_members(frame({"member_id": "M0"}, change), DIRECTORY)
    assert checked.accepted == 1 and len(checked.rejected) == 1
    bad = checked.rejected.iloc[0]
    assert bad["row"] == 3 and column in bad["column"] and reason in bad["reason"]
    for key, value in change.items():
        assert bad[key] == value  # the original values, as they were in the file


def test_duplicates_keep_the_first_exact_copy_and_reject_conflicts_and_shared_addresses():
    checked = check_members(frame(
        {"member_id": "A"}, {"member_id": "A"},  # exact repeat: the first one counts
        {"member_id": "B", "email": "b@example.jp"}, {"member_id": "B", "email": "b@example.jp", "areas": "奄美市"},
        {"member_id": "C", "email": "TARO.K1@example.jp"},  # A's address, in other case
    ), DIRECTORY)
    assert [r["member_id"] for r in checked.records] == ["A"]
    reasons = dict(zip(checked.rejected["row"], checked.rejected["reason"]))
    assert "同じ内容の重複行" in reasons[3]
    assert "異なる内容" in reasons[4] and "異なる内容" in reasons[5]
    assert "2行目の会員「A」と重複" in reasons[6]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({
    "member_id": st.sampled_from(["M1", "M2", "M3", ""]),
    "email": st.sampled_from(["a@example.jp", "b@example.jp", "A@EXAMPLE.JP", "bad@", "x..y@ezweb.ne.jp"]),
    "categories": st.sampled_from(["threat", "fraud;missing", "nope", ""]),
    "areas": st.sampled_from(["鹿児島市", "奄美警察署;鹿児島県", "どこか", ""]),
    "status": st.sampled_from(["active", "pending", "unsubscribed", "bounced", "?"]),
}), max_size=12))
def test_every_row_read_is_accepted_or_rejected(rows):
    checked = check_members(frame(*rows), DIRECTORY)
    assert checked.accepted + len(checked.rejected) == checked.rows_read == len(rows)
    emails = [r["email"].lower() for r in checked.records]
    assert len(emails) == len(set(emails))


def test_importing_the_sample_twice_changes_nothing(fresh_workspace, directory, built_workspace):
    sample = built_workspace.sample_dir / "members.csv"
    first = imports.import_members(sample, fresh_workspace, directory=directory)
    assert first.rows_read == 12000
    assert first.accepted + first.rejected == first.rows_read and first.inserted == first.accepted
    engine = store.connect(fresh_workspace.database_url)
    before = _snapshot(engine)
    second = imports.import_members(sample, fresh_workspace, directory=directory)
    assert (second.inserted, second.unchanged, second.conflicts) == (0, first.accepted, 0)
    assert _snapshot(engine) == before
    counts = member_counts(engine)
    total = counts.set_index("area").loc["合計"]
    assert total["members"] == (members.read_members(engine)["status"] == "active").sum()
    assert counts.set_index("area").loc["鹿児島市", "members"] > counts.set_index("area").loc["霧島市", "members"]
    engine.dispose()


def _snapshot(engine):
    with engine.connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                for t in (store.members, store.member_imports, store.member_areas, store.member_categories)}


def test_a_changed_reexport_is_quarantined_not_applied(fresh_workspace, tmp_path):
    path = tmp_path / "members.csv"
    frame({"member_id": "M1"}, {"member_id": "M2", "email": "b@example.jp"}).to_csv(path, index=False)
    imports.import_members(path, fresh_workspace, directory=DIRECTORY)
    engine = store.connect(fresh_workspace.database_url)
    assert members.unsubscribe(engine, _token(engine, "M2")) == "M2"
    # The export still says M2 is active and M1 now wants fraud only, and one row is bad.
    frame({"member_id": "M1", "categories": "fraud"}, {"member_id": "M2", "email": "b@example.jp"},
          {"member_id": "M3", "email": "not-an-address"}).to_csv(path, index=False, encoding="cp932")
    report = imports.import_members(path, fresh_workspace, directory=DIRECTORY)
    assert (report.inserted, report.unchanged, report.conflicts, report.rejected) == (0, 1, 1, 1)
    stored = members.read_members(engine).set_index("member_id")
    assert stored.loc["M1", "categories"] == "threat;fraud"  # not overwritten
    assert stored.loc["M2", "status"] == "unsubscribed"  # an unsubscription is never undone by an import
    quarantine = report.quarantine_path
    assert stat.S_IMODE(os.stat(quarantine).st_mode) == 0o600
    saved = pd.read_csv(quarantine, dtype=str, encoding="utf-8-sig")
    assert list(saved["row"]) == ["2", "4"] and "別の内容で登録済み" in saved["reason"][0]
    assert saved["email"].tolist() == ["taro.k1@example.jp", "not-an-address"]
    engine.dispose()


def test_a_file_without_a_required_column_says_which(tmp_path, fresh_workspace):
    path = tmp_path / "members.csv"
    frame({}).drop(columns=["areas"]).to_csv(path, index=False)
    with pytest.raises(DataError, match="areas"):
        imports.import_members(path, fresh_workspace, directory=DIRECTORY)


def test_japanese_headers_are_understood(tmp_path):
    path = tmp_path / "kaiin.csv"
    jp = {"member_id": "会員番号", "email": "メールアドレス", "categories": "受信分類", "areas": "受信地域",
          "status": "状態", "opted_in_at": "登録日時", "is_staff": "職員"}
    frame({"status": "配信中", "categories": "脅威事犯"}).rename(columns=jp).to_csv(path, index=False, encoding="cp932")
    raw, headers = read_member_table(path)
    checked = check_members(raw, DIRECTORY, headers=headers)
    assert checked.accepted == 1 and checked.records[0]["status"] == "active"


# -- tokens ------------------------------------------------------------------------------------

def _token(engine, member_id):
    with engine.connect() as conn:
        return conn.execute(sa.select(store.members.c.unsubscribe_token)
                            .where(store.members.c.member_id == member_id)).scalar()


def test_double_opt_in(engine):
    member_id, token = members.register_member(engine, DIRECTORY, email="new@example.jp", categories=["missing"],
                                               areas=["霧島市"])
    assert members.read_members(engine).set_index("member_id").loc[member_id, "status"] == "pending"
    assert members.confirm_member(engine, token) == member_id
    assert members.read_members(engine).set_index("member_id").loc[member_id, "status"] == "active"
    with pytest.raises(DataError, match="無効か、期限切れ"):
        members.confirm_member(engine, token)  # used
    with pytest.raises(DataError, match="登録済み"):
        members.register_member(engine, DIRECTORY, email="NEW@example.jp", categories=["missing"], areas=["霧島市"])
    with pytest.raises(DataError, match="地域"):
        members.register_member(engine, DIRECTORY, email="x@example.jp", categories=["missing"], areas=["大阪市"])


def test_an_expired_confirmation_is_refused(engine):
    member_id, _ = members.register_member(engine, DIRECTORY, email="late@example.jp", categories=["fraud"],
                                           areas=["鹿児島県"])
    token = members.request_confirmation(engine, member_id, valid_for=pd.Timedelta(seconds=-1))
    with pytest.raises(DataError, match="期限切れ"):
        members.confirm_member(engine, token)


def test_one_click_unsubscribe_is_idempotent(engine):
    save_members(engine, check_members(frame({}), DIRECTORY).records)
    token = _token(engine, "M1")
    assert len(token) >= 32
    assert members.unsubscribe(engine, token) == "M1"
    assert members.unsubscribe(engine, token) == "M1"
    assert members.unsubscribe(engine, "no-such-token") is None
    assert members.read_members(engine)["status"].tolist() == ["unsubscribed"]


# -- recipients --------------------------------------------------------------------------------

PEOPLE = [  # member, categories, areas, status
    ("city", "threat", "鹿児島市", "active"),
    ("central", "threat", "鹿児島中央警察署", "active"),
    ("south", "threat", "鹿児島南警察署", "active"),
    ("pref", "threat", "鹿児島県", "active"),
    ("amami", "threat;fugitive", "奄美市", "active"),
    ("setouchi_station", "threat", "奄美警察署", "active"),
    ("fraud_only", "fraud", "鹿児島市", "active"),
    ("left", "threat", "鹿児島市", "unsubscribed"),
    ("pending", "threat", "鹿児島市", "pending"),
    ("bounced", "threat", "鹿児島市", "bounced"),
]


@pytest.fixture
def people(engine):
    rows = [{"member_id": m, "email": f"{m}@example.jp", "categories": c, "areas": a, "status": s}
            for m, c, a, s in PEOPLE]
    checked = check_members(frame(*rows), DIRECTORY)
    assert checked.rejected.empty
    save_members(engine, checked.records, directory=DIRECTORY)
    return engine


def recipients(engine, category="threat", original=None, **area_codes):
    alert = SimpleNamespace(alert_id=99, category=category, area_codes=area_codes, original_alert_id=original)
    with engine.connect() as conn:
        return sorted(r.member_id for r in select_recipients(conn, alert))


@pytest.mark.parametrize(("area_codes", "expected"), [
    ({"city_code": "46201", "station": "鹿児島中央警察署"}, ["central", "city", "pref"]),
    ({"city_code": "46201"}, ["central", "city", "pref", "south"]),  # no station: every district of the city
    ({"chome_code": "46201318003", "station": "鹿児島南警察署"}, ["city", "pref", "south"]),  # the city from the chome
    ({"city_code": "46525", "station": "奄美警察署"}, ["pref", "setouchi_station"]),
    ({"city_code": None, "station": None}, ["amami", "central", "city", "pref", "setouchi_station", "south"]),
    ({}, ["amami", "central", "city", "pref", "setouchi_station", "south"]),
])
def test_recipients_are_active_members_of_the_category_whose_areas_meet(people, area_codes, expected):
    assert recipients(people, **area_codes) == expected


def test_fugitive_alerts_go_to_everyone_who_chose_the_category(people):
    assert recipients(people, "fugitive", city_code="46201", station="鹿児島中央警察署") == ["amami"]


def test_a_follow_up_goes_to_exactly_the_recipients_of_the_original(people):
    now = pd.Timestamp.now(tz="UTC").to_pydatetime()
    with people.begin() as conn:
        conn.execute(store.users.insert().values(username="u", display_name="u", role="analyst", password_hash="!",
                                                 failed_logins=0, active=True, created_at=now, created_by="u"))
        alert_id = conn.execute(store.alerts.insert().values(
            category="threat", status="sent", subject="s", body="b", level="CITY", assessed_level="CITY",
            public_text="p", area_codes={}, incident_ids=[], urgent=False, created_by="u", created_at=now,
            updated_at=now)).inserted_primary_key[0]
        for n, (member, state) in enumerate([("south", "sent"), ("fraud_only", "sent"), ("city", "failed"),
                                             ("left", "sent")]):
            conn.execute(store.outbox.insert().values(
                alert_id=alert_id, member_id=member, seq=n, email=f"{member}@example.jp", domain="example.jp",
                message_id=f"<{n}@x>", state=state, attempts=1, ambiguous=0, queued_at=now))
    # Those who received it, whatever their categories and areas now; not those who failed or left.
    assert recipients(people, original=alert_id, city_code="46222") == ["fraud_only", "south"]
    with pytest.raises(DeliveryError, match="送信記録"):
        recipients(people, original=alert_id + 100)


def test_counts_by_category_and_area(people):
    counts = member_counts(people).set_index("area")
    assert counts.loc["鹿児島市", "threat"] == 1 and counts.loc["鹿児島市", "fraud"] == 1
    assert counts.loc["鹿児島市", "members"] == 2
    assert counts.loc["合計", "members"] == 7 and counts.loc["合計", "fugitive"] == 1
    assert list(counts["kind"])[:1] == ["pref"] and list(counts["kind"])[-1] == "total"


def test_the_workspace_directory_knows_cities_and_stations(directory):
    assert directory.resolve("鹿児島市") == ("city", "46201", "鹿児島市")
    assert directory.resolve("瀬戸内町")[2] == "大島郡瀬戸内町"
    assert directory.resolve("鹿児島中央署") == ("station", "鹿児島中央警察署", "鹿児島中央警察署")
    assert directory.stations_of("46201") and len(directory.cities) == 43
