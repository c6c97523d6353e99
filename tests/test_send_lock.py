"""The per-alert send lock: one sender at a time, crash-safe, and no lock file left behind."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from anshin_lab import delivery
from anshin_lab.core.errors import DeliveryError
from anshin_lab.delivery.outbox import lock_file, release_lock_file, remove_stale_locks, run_lock

from .smtp_faults import start_fault_server
from .staff import PASSWORD
from .test_sending import FAST, outbox_of, scratch

PROJECT = Path(__file__).resolve().parents[1]


def lock_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.lock"))


def test_a_send_leaves_no_lock_file(staff_template, tmp_path):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 6)
    with start_fault_server() as server:
        report = delivery.send_alert(engine, operator, alert_id, delivery.parse_relay(server.address),
                                     options=delivery.DeliveryOptions(**FAST))
    assert report.complete and report.sent == 6
    assert lock_files(tmp_path) == []
    engine.dispose()


def test_a_send_that_fails_leaves_no_lock_file_either(staff_template, tmp_path):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 3)
    delivery.queue_alert(engine, operator, alert_id)
    unreachable = delivery.parse_relay("127.0.0.1:9")  # discard port: nothing listens
    report = delivery.deliver(engine, operator, alert_id, unreachable,
                              options=delivery.DeliveryOptions(**{**FAST, "retry_window_s": 0.3}))
    assert not report.complete
    assert lock_files(tmp_path) == []
    engine.dispose()


def test_a_held_lock_refuses_a_second_sender_and_a_killed_holder_frees_it(staff_template, tmp_path):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 3)
    path = f"{tmp_path / 'd.sqlite'}.send-{alert_id}.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, path], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(PROJECT)}, cwd=PROJECT)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DeliveryError, match="送信中"):
            with run_lock(engine, alert_id):
                pytest.fail("two holders of one alert's lock")
        assert os.path.exists(path)  # the refused sender leaves the holder's file alone
    finally:
        holder.kill()  # SIGKILL: the kernel drops the flock; the file stays behind
        holder.wait()
    with run_lock(engine, alert_id):
        pass
    assert lock_files(tmp_path) == []
    engine.dispose()


HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running sender holds it
print("held", flush=True)
time.sleep(60)
"""


def test_stale_lock_files_are_removed_but_a_held_one_is_kept(staff_template, tmp_path):
    engine, _, _ = scratch(staff_template, tmp_path, 1)
    database = tmp_path / "d.sqlite"
    for n in (1, 2, 3):
        Path(f"{database}.send-{n}.lock").touch()
    held = lock_file(f"{database}.send-2.lock")
    try:
        assert remove_stale_locks(engine) == 2
        assert lock_files(tmp_path) == ["d.sqlite.send-2.lock"]
    finally:
        release_lock_file(f"{database}.send-2.lock", held)
    assert lock_files(tmp_path) == []
    engine.dispose()


def _contend(path: str, inside: str, start, seconds: float, results) -> None:
    """Take and release the lock for ``seconds`` after ``start``; inside it, claim ``inside`` exclusively (O_EXCL)."""
    held = clashes = 0
    start.wait()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fd = lock_file(path)
        if fd is None:
            continue
        held += 1
        try:
            os.close(os.open(inside, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            clashes += 1  # two holders at once: the lock failed
        else:
            os.unlink(inside)
        release_lock_file(path, fd)
    results.put((held, clashes))


def test_the_lock_excludes_while_holders_unlink_and_recreate_the_file(tmp_path):
    """Releases unlink the file while others have it open: a lock on a removed file must not count."""
    path, inside = str(tmp_path / "x.send-1.lock"), str(tmp_path / "inside")
    context = multiprocessing.get_context("fork")
    results, start = context.Queue(), context.Event()
    workers = [context.Process(target=_contend, args=(path, inside, start, 1.0, results)) for _ in range(6)]
    for worker in workers:
        worker.start()
    start.set()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join()
    assert sum(clashes for _, clashes in outcomes) == 0
    assert sum(held for held, _ in outcomes) >= 50 and sum(held > 0 for held, _ in outcomes) >= 2  # often, by many
    assert lock_files(tmp_path) == []


SENDER = """
import json, os, sys, time
from tests.staff import act_as_service
act_as_service()
from anshin_lab import delivery
from anshin_lab.core.errors import DeliveryError
from anshin_lab.storage import store
from anshin_lab.workflow import users
engine = store.connect(sys.argv[1])
user = users.authenticate(engine, "operator", sys.argv[4])
options = delivery.DeliveryOptions(connections=4, retry_initial_s=0.05, retry_max_s=0.2, rate_limits={})
print("ready", flush=True)
while not os.path.exists(sys.argv[5]):
    time.sleep(0.001)
try:
    report = delivery.deliver(engine, user, int(sys.argv[2]), delivery.parse_relay(sys.argv[3]), options=options)
    print(json.dumps({"sent": report.sent}))
except DeliveryError as exc:
    print(json.dumps({"refused": str(exc)}))
"""


def test_two_senders_started_together_never_both_send(staff_template, tmp_path):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 150)
    delivery.queue_alert(engine, operator, alert_id)
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    with start_fault_server(delay_ms=4) as server:
        senders = [subprocess.Popen([sys.executable, "-c", SENDER, f"sqlite:///{tmp_path / 'd.sqlite'}",
                                     str(alert_id), server.address, PASSWORD, str(go)],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=PROJECT)
                    for _ in range(2)]
        assert [sender.stdout.readline().strip() for sender in senders] == ["ready", "ready"]
        go.touch()  # both start within a millisecond
        outcomes = []
        for sender in senders:
            out, err = sender.communicate(timeout=120)
            assert sender.returncode == 0, err
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
    accepted = Counter(server.handler.accepted)
    assert sorted(o.get("sent", -1) for o in outcomes) == [-1, 150], outcomes
    assert "送信中" in next(o["refused"] for o in outcomes if "refused" in o)
    assert len(accepted) == 150 and set(accepted.values()) == {1}
    assert set(outbox_of(engine, alert_id)["state"]) == {"sent"}
    assert lock_files(tmp_path) == []
    engine.dispose()
