"""The audit chain is keyed and its head anchored outside the database: recomputed or cut, it is found."""

import hashlib
import json
import stat

import pytest
import sqlalchemy as sa

from anshin_lab.cli.main import main
from anshin_lab.core.errors import PermissionDenied
from anshin_lab.storage import store
from anshin_lab.workflow import audit, authority, users
from anshin_lab.workflow.rules import Role

from .staff import PASSWORD


@pytest.fixture
def logged(engine, staff):
    """A copy of the staff database with a few more entries written (and anchored) in this test."""
    for name in ("analyst", "chief", "hq", "operator"):
        users.authenticate(engine, name, PASSWORD)
    users.set_role(engine, staff["admin"], "reviewer", Role.DUTY_OFFICER)
    report = audit.verify(engine)
    assert report.ok and report.anchored_seq == report.last_seq
    return engine


def anchored_lines():
    return authority.require().audit_anchor.read_text("ascii").splitlines()


def test_each_committed_entry_is_anchored_in_an_owner_only_file(logged):
    report = audit.verify(logged)
    path = authority.require().audit_anchor
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with logged.connect() as conn:
        db_id = audit.database_id(conn)
        stored = conn.execute(sa.select(store.audit_log.c.seq, store.audit_log.c.hash)
                              .order_by(store.audit_log.c.seq.desc()).limit(5)).all()
    lines = set(anchored_lines())
    assert all(f"{db_id}\t{seq}\t{digest}" in lines for seq, digest in stored)
    assert report.anchored_seq == report.last_seq == stored[0].seq


def test_a_chain_recomputed_without_the_key_is_found(logged):
    """What an insider with the database but not the key can do: rewrite every hash with plain SHA-256."""
    with logged.begin() as conn:
        rows = conn.execute(sa.select(store.audit_log).order_by(store.audit_log.c.seq)).all()
        prev = "0" * 64
        for row in rows:
            payload = json.dumps([row.seq, row.at, row.actor, row.action, row.subject, row.details, prev],
                                 ensure_ascii=False)
            digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
            conn.execute(sa.update(store.audit_log).where(store.audit_log.c.seq == row.seq)
                         .values(prev_hash=prev, hash=digest))
            prev = digest
    report = audit.verify(logged)
    assert not report.ok
    assert sum("内容がハッシュと一致しません" in p for p in report.problems) == len(rows)
    assert any("アンカーの記録と一致しません" in p for p in report.problems)


def test_a_cut_tail_is_found_through_the_anchor(logged):
    with logged.begin() as conn:
        last = conn.execute(sa.select(sa.func.max(store.audit_log.c.seq))).scalar()
        conn.execute(sa.delete(store.audit_log).where(store.audit_log.c.seq > last - 3))
    report = audit.verify(logged)
    assert any("末尾の記録が削除されています" in p and f"{last}番まで" in p for p in report.problems)
    assert report.last_seq == last - 3 and report.anchored_seq == last


def test_an_entry_rolled_back_is_not_anchored(logged):
    before = anchored_lines()
    with pytest.raises(RuntimeError):
        with logged.begin() as conn:
            seq = audit.append(conn, "analyst", "test_rolled_back", "user:analyst", {})
            raise RuntimeError("the step failed after its audit entry")
    assert anchored_lines() == before
    report = audit.verify(logged)
    assert report.ok and report.last_seq == seq - 1
    with logged.begin() as conn:  # the place is taken by the next committed entry, which is anchored
        assert audit.append(conn, "analyst", "test_committed", "user:analyst", {}) == seq
    assert len(anchored_lines()) == len(before) + 1 and audit.verify(logged).ok


def test_without_the_key_nothing_is_appended_or_verified(logged):
    authority.uninstall()
    with pytest.raises(PermissionDenied, match="anshin service"):
        audit.verify(logged)
    with pytest.raises(PermissionDenied, match="anshin service"):
        with logged.begin() as conn:
            audit.append(conn, "analyst", "x")


def test_audit_verify_prints_the_head_and_the_anchor_and_fails_on_a_cut_tail(fresh_workspace, capsys):
    engine = store.connect(fresh_workspace.database_url)
    try:
        users.add_user(engine, None, "admin", Role.ADMIN, PASSWORD)
        users.authenticate(engine, "admin", PASSWORD)
    finally:
        engine.dispose()
    ws = ["--workspace", str(fresh_workspace.root)]
    assert main(["audit", "verify", *ws]) == 0
    out = capsys.readouterr().out
    assert "末尾 2番のハッシュ" in out and "2番まで記録されています" in out and "改ざんは見つかりませんでした" in out
    engine = store.connect(fresh_workspace.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.delete(store.audit_log).where(store.audit_log.c.seq == 2))
    finally:
        engine.dispose()
    assert main(["audit", "verify", *ws]) == 1
    captured = capsys.readouterr()
    assert "末尾の記録が削除されています" in captured.out and "問題があります" in captured.err


def test_every_new_engine_anchors_where_a_gone_pool_left_its_id(tmp_path):
    """Engines made and disposed one after another (a service, a notebook) reuse the ids of gone pools; each new one
    anchors its entries all the same. (SQLAlchemy's ``event.contains`` answered by id and once left some unanchored.)"""
    unanchored = []
    for i in range(300):
        engine = store.connect(f"sqlite:///{tmp_path / f'db{i}.sqlite'}")
        try:
            with engine.begin() as conn:
                audit.append(conn, "analyst", "x")
            report = audit.verify(engine)
            if report.anchored_seq != report.last_seq:
                unanchored.append(i)
        finally:
            engine.dispose()
    assert unanchored == []
