import pandas as pd
import pytest
import sqlalchemy as sa

from anshin_lab.storage import store
from anshin_lab.core.errors import StoreError
from anshin_lab import load_incidents

from .conftest import row, write_csv


@pytest.fixture
def engine(tmp_path):
    engine = store.connect(f"sqlite:///{tmp_path / 'a.sqlite'}")
    yield engine
    engine.dispose()


def _save(engine, frame):
    return store.save_incidents(engine, frame, source_name="x.csv", source_sha256="0" * 64,
                                rows_read=len(frame), rejected=0)


def test_round_trip_keeps_values_and_japan_time(tmp_path, engine):
    loaded = load_incidents(write_csv(tmp_path / "e.csv", [row(), row(事案番号="K-2", 発生日時="2024-12-31 23:30")])).incidents
    assert _save(engine, loaded).inserted == 2
    stored = store.read_incidents(engine)
    pd.testing.assert_frame_equal(
        pd.DataFrame(stored.drop(columns="geometry")), pd.DataFrame(loaded.drop(columns="geometry")),
        check_dtype=False,
    )
    assert str(stored["occurred_at"].dt.tz) == "Asia/Tokyo"
    # Date filters are in Japan time: 23:30 on New Year's Eve is still 2024.
    assert list(store.read_incidents(engine, since="2024-12-31")["incident_id"]) == ["K-2"]
    assert list(store.read_incidents(engine, until="2024-12-31")["incident_id"]) == ["K-1"]


def test_saving_again_changes_nothing(tmp_path, engine):
    frame = load_incidents(write_csv(tmp_path / "e.csv", [row()])).incidents
    _save(engine, frame)
    again = _save(engine, frame)
    assert (again.inserted, again.unchanged, len(again.conflicts), again.import_id) == (0, 1, 0, None)
    assert len(store.read_imports(engine)) == 1


def test_changed_content_is_a_conflict_and_never_overwrites(tmp_path, engine):
    _save(engine, load_incidents(write_csv(tmp_path / "a.csv", [row()])).incidents)
    changed = load_incidents(write_csv(tmp_path / "b.csv", [row(概要="書き換えた概要"), row(事案番号="K-2")])).incidents
    result = _save(engine, changed)
    assert result.inserted == 1 and list(result.conflicts["incident_id"]) == ["K-1"]
    stored = store.read_incidents(engine).set_index("incident_id")
    assert stored.loc["K-1", "summary"] != "書き換えた概要"


def test_a_failing_batch_writes_nothing(tmp_path, engine):
    frame = load_incidents(write_csv(tmp_path / "e.csv", [row(), row(事案番号="K-2")])).incidents
    frame.loc[1, "category"] = None  # violates NOT NULL on the second insert
    with pytest.raises(StoreError, match="何も書き込んでいません"):
        _save(engine, frame)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.incidents)).scalar() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(store.imports)).scalar() == 0


def test_unusable_url_is_a_clear_error():
    with pytest.raises(StoreError, match="接続できません") as info:
        store.connect("nosuchdb://user:secret@host/db")
    assert "secret" not in str(info.value)


def test_the_same_schema_works_on_postgresql(tmp_path, postgres_url):
    engine = store.connect(postgres_url)
    try:
        loaded = load_incidents(write_csv(tmp_path / "e.csv", [row(), row(事案番号="K-2", 発生日時="2024-12-31 23:30")])).incidents
        assert _save(engine, loaded).inserted == 2
        assert _save(engine, loaded).unchanged == 2
        stored = store.read_incidents(engine)
        assert list(stored["occurred_at"]) == list(loaded["occurred_at"])
        assert list(store.read_incidents(engine, since="2024-12-31")["incident_id"]) == ["K-2"]
    finally:
        engine.dispose()
