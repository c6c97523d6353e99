"""The outbox: one row per (alert, member), queued in one transaction and moved through its states crash-safely.

A row is marked ``sending`` (committed) before its DATA goes out and
``sent`` after the relay's 250, and a connection marks its next row only
after the previous one's outcome is committed; so a kill at any moment
leaves at most one row per connection in ``sending``: the only messages SMTP
cannot tell apart (accepted an instant before the kill, or not). The next
run sends those again and counts them as ``ambiguous``; so does a message
whose connection dropped or timed out after its final dot. Each such
outcome adds one to the row's ``ambiguous`` column, whose sum over the
alert is the report's ``possible_duplicates``: never fewer than the copies a
relay received twice. State changes from all connections are committed
together by one writer thread (group commit), so the database is not the
bottleneck; a database busy with an import makes it wait, not fail.

Rows are queued only for a :class:`~anshin_lab.delivery.gate.Clearance`,
which only the workflow gate issues, each signed by the service over
(alert, member, address) and given a random Message-ID; a row without a
valid signature (added or changed by hand) is never sent. One sender per
alert runs at a time (``run_lock``); on SQLite its lock file is removed when
the run ends.

A member in their quiet hours (``quiet_hours``) gets a row ``held`` until the
window ends (``next_attempt_at``); the first run after that releases it to
``queued`` (signature and member status checked as for any row).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import fcntl
import glob
import os
import queue
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from anshin_lab.core.clock import stored_tokyo, utc_now
from anshin_lab.core.errors import DeliveryError, StoreError
from anshin_lab.delivery.gate import Clearance, require_clearance
from anshin_lab.delivery.messages import new_message_id
from anshin_lab.delivery.options import DeliveryOptions
from anshin_lab.delivery.quiet_hours import hold_until
from anshin_lab.delivery.recipients import Recipient, select_recipients
from anshin_lab.delivery.replies import describe_db_error, plain_address
from anshin_lab.delivery.results import DeliveryReport
from anshin_lab.storage.store import bounces, delivery_runs, members, outbox
from anshin_lab.workflow import audit, authority
from anshin_lab.workflow.authority import ServiceKey

FINAL_STATES = ("sent", "failed", "skipped")
PENDING_STATES = ("queued", "sending", "deferred")
HELD = "held"  # waiting for the end of the member's quiet hours (next_attempt_at)
BUSY_WAIT_S = 120.0  # how long a write waits out a database busy with someone else's transaction
UNSIGNED = "署名のない送信待ち(手で追加・変更された行): 送っていません"
BAD_ADDRESS = "宛先の形式が正しくない送信待ち: 送っていません"
T = TypeVar("T")


def sign_row(key: ServiceKey, alert_id: int, member_id: str, email: str) -> str:
    """The service's signature over an outbox row: which alert goes to which member at which address."""
    return key.sign("outbox", {"alert_id": int(alert_id), "member_id": str(member_id), "email": str(email)})


def row_signed(key: ServiceKey, alert_id: int, member_id: str, email: str, signature: str | None) -> bool:
    """Whether an outbox row carries the service's signature over what it holds now."""
    return key.verify("outbox", {"alert_id": int(alert_id), "member_id": str(member_id), "email": str(email)},
                      signature)


def is_busy(exc: BaseException) -> bool:
    """Whether a database error is another writer holding the lock (worth waiting out, not a failure)."""
    text = str(getattr(exc, "orig", exc)).lower()
    return isinstance(exc, OperationalError) and ("locked" in text or "busy" in text)


def busy_retry(work: Callable[[], T], wait_s: float = BUSY_WAIT_S) -> T:
    """``work()``, run again while the database is busy with another writer, for up to ``wait_s`` seconds."""
    began = time.monotonic()
    pause = 0.05
    while True:
        try:
            return work()
        except OperationalError as exc:
            if not is_busy(exc) or time.monotonic() - began > wait_s:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


def queue_outbox(engine: sa.Engine, clearance: Clearance, options: DeliveryOptions | None = None,
                 recipients: list[Recipient] | None = None, *, now=None) -> int:
    """Put one outbox row per recipient of the cleared alert in one transaction; returns the rows it has.

    When the alert already has outbox rows (a run that crashed), nothing is
    re-selected or re-queued. ``recipients`` defaults to
    ``select_recipients``. A recipient in their quiet hours at ``now`` (the
    current time when None) gets a ``held`` row until the window ends, unless
    the category goes at once (``quiet_hours.hold_until``). Raises
    ``PermissionDenied`` for anything but a ``Clearance``, ``DeliveryError``
    when no member would receive the alert.
    """
    alert = require_clearance(clearance).alert
    key = authority.require().key
    options = options or DeliveryOptions()

    def queue() -> int:
        with engine.begin() as conn:
            existing = conn.execute(sa.select(sa.func.count()).select_from(outbox)
                                    .where(outbox.c.alert_id == alert.alert_id)).scalar()
            if existing:
                return existing
            chosen = select_recipients(conn, alert) if recipients is None else recipients
            if not chosen:
                raise DeliveryError(f"配信 #{alert.alert_id} を受け取る会員がいません(分類・地域を確認してください)")
            at = _utc(now)
            rows = []
            for n, r in enumerate(chosen):
                until = hold_until(alert.category, r.quiet_start, r.quiet_end, at)
                rows.append({"alert_id": alert.alert_id, "member_id": r.member_id, "seq": n, "email": r.email,
                             "domain": r.domain, "message_id": new_message_id(options.sender_domain),
                             "signature": sign_row(key, alert.alert_id, r.member_id, r.email),
                             "state": "queued" if until is None else HELD, "attempts": 0, "ambiguous": 0,
                             "queued_at": at, "next_attempt_at": None if until is None else until.astimezone(dt.timezone.utc)})
            for start in range(0, len(rows), 5000):
                conn.execute(outbox.insert(), rows[start:start + 5000])
            return len(rows)

    try:
        return busy_retry(queue)
    except SQLAlchemyError as exc:
        raise StoreError(f"送信待ちの登録に失敗しました(何も書き込んでいません): {describe_db_error(exc)}") from exc


def _utc(now) -> dt.datetime:
    """``now`` (any aware time; None: the current time) in UTC, as the database compares stored times."""
    return utc_now() if now is None else now.astimezone(dt.timezone.utc)


def outbox_states(engine: sa.Engine, alert_id: int) -> dict[str, int]:
    """How many outbox rows of the alert are in each state."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(outbox.c.state, sa.func.count()).where(outbox.c.alert_id == alert_id)
                            .group_by(outbox.c.state)).all()
    return dict(rows)


@dataclass
class OutboxItem:
    """An outbox row on its way: who, the fixed Message-ID, the unsubscribe token, when it was queued."""

    member_id: str
    email: str
    domain: str
    message_id: str
    token: str
    queued_at: object
    tries: int = 0  # attempts in this run
    language: str = "ja"  # the member's language (``members.language``), as read when the run starts


class OutboxWriter:
    """Applies outbox changes in order, in batched transactions, on its own thread (group commit)."""

    LINGER_S = 0.001

    def __init__(self, engine: sa.Engine, alert_id: int, loop: asyncio.AbstractEventLoop, bounce_limit: int):
        self.engine = engine
        self.alert_id = alert_id
        self.loop = loop
        self.bounce_limit = bounce_limit
        self.error: BaseException | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="outbox-writer", daemon=True)
        self._statements = self._prepare()
        self._raw = {kind: self._compile(self._statements[kind][0]) for kind in ("sending", "sent")}
        self._thread.start()

    def _compile(self, statement):
        # The hot statements go to the driver as compiled SQL: SQLAlchemy's per-row parameter
        # handling would otherwise cost more than the database's own work. They bind no dates.
        compiled = statement.compile(dialect=self.engine.dialect)
        order = tuple(compiled.positiontup) if compiled.positional else None
        return str(compiled), order, dict(compiled.params)

    def _prepare(self) -> dict:
        o, m = outbox.c, members.c
        row = (o.alert_id == sa.bindparam("b_alert")) & (o.member_id == sa.bindparam("b_member"))
        member = m.member_id == sa.bindparam("b_member")
        over = m.hard_bounces + 1 >= self.bounce_limit
        return {
            "sending": [outbox.update().where(row).values(state="sending", attempts=o.attempts + 1)],
            # The hot path: no per-row Python conversions (the time is the database's own).
            "sent": [outbox.update().where(row).values(state="sent", sent_at=sa.func.now(),
                                                       last_code=sa.bindparam("b_code"),
                                                       last_reply=sa.bindparam("b_reply"))],
            "deferred": [outbox.update().where(row).values(state="deferred", last_code=sa.bindparam("b_code"),
                                                           last_reply=sa.bindparam("b_reply"),
                                                           next_attempt_at=sa.bindparam("b_next"))],
            # No reply after the final dot: the relay may hold the message, so sending it again may duplicate it.
            "unknown": [outbox.update().where(row).values(state="deferred", ambiguous=o.ambiguous + 1,
                                                          last_code=sa.bindparam("b_code"),
                                                          last_reply=sa.bindparam("b_reply"),
                                                          next_attempt_at=sa.bindparam("b_next"))],
            # A 5xx about the message or the relay: pending until the run decides (isolated, or a relay fault).
            "held": [outbox.update().where(row).values(state="deferred", last_code=sa.bindparam("b_code"),
                                                       last_reply=sa.bindparam("b_reply"), next_attempt_at=None)],
            # Refused for good, but not the member's fault: no bounce.
            "rejected": [outbox.update().where(row).values(state="failed", last_code=sa.bindparam("b_code"),
                                                           last_reply=sa.bindparam("b_reply"))],
            "failed": [outbox.update().where(row).values(state="failed", last_code=sa.bindparam("b_code"),
                                                         last_reply=sa.bindparam("b_reply")),
                       bounces.insert().values(member_id=sa.bindparam("b_member"), alert_id=sa.bindparam("b_alert"),
                                               at=sa.bindparam("b_at"), code=sa.bindparam("b_code"),
                                               reply=sa.bindparam("b_reply")),
                       members.update().where(member).values(
                           hard_bounces=m.hard_bounces + 1,
                           status=sa.case((over & (m.status == "active"), "bounced"), else_=m.status),
                           suppressed_at=sa.case((over & (m.status == "active"), sa.bindparam("b_at")),
                                                 else_=m.suppressed_at),
                           updated_at=sa.bindparam("b_at"))],
        }

    def submit(self, kind: str, item: OutboxItem, code: int | None = None, reply: str | None = None, *,
               next_at=None, wait: bool = False):
        """Queue a change; with ``wait`` a future that resolves once it is committed (or fails)."""
        future = self.loop.create_future() if wait else None
        self._queue.put((kind, item.member_id, code, reply, next_at, future))
        return future

    def close(self) -> None:
        """Commit everything submitted, then stop the thread."""
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        try:
            with self.engine.connect() as conn:  # one connection for the whole run
                self._loop(conn)
        except SQLAlchemyError as exc:  # could not even connect: fail every waiter
            self.error = exc
            self._loop(None)

    def _loop(self, conn) -> None:
        stop = False
        while not stop:
            first = self._queue.get()
            batch = []
            if first is None:
                stop = True
            else:
                batch.append(first)
                # Linger a moment so that one commit carries many changes: the connections
                # are busy with MAIL and RCPT meanwhile, which take longer than this.
                time.sleep(self.LINGER_S)
                while len(batch) < 5000:
                    try:
                        change = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if change is None:
                        stop = True
                        break
                    batch.append(change)
            if batch:
                self._apply(conn, batch)

    def _apply(self, conn, batch: list) -> None:
        now = utc_now()
        phases: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        seen: Counter = Counter()
        for kind, member_id, code, reply, next_at, _ in batch:
            # A row's changes keep their order: its n-th change in the batch goes in phase n.
            phase = seen[member_id]
            seen[member_id] += 1
            phases[phase][kind].append({"b_alert": self.alert_id, "b_member": member_id, "b_code": code,
                                        "b_reply": reply, "b_at": now, "b_next": next_at})
        error = None
        waiting = [change[-1] for change in batch if change[-1] is not None]
        if self.error is None:
            try:
                busy_retry(lambda: self._commit(conn, phases))
            except Exception as exc:  # noqa: BLE001 - the thread's boundary: fail the run, never hang it
                error = self.error = exc
        else:
            error = self.error
        if waiting:
            # One wake-up of the event loop per batch, not one per waiting connection.
            self.loop.call_soon_threadsafe(_resolve, waiting, error)

    def _commit(self, conn, phases: dict) -> None:
        with conn.begin():
            for phase in sorted(phases):
                for kind, params in phases[phase].items():
                    if kind in self._raw:
                        sql, order, fixed = self._raw[kind]
                        rows = [{**fixed, **p} for p in params]
                        if order:
                            rows = [tuple(p[k] for k in order) for p in rows]
                        conn.exec_driver_sql(sql, rows)
                        continue
                    for statement in self._statements[kind]:
                        conn.execute(statement, params)


def _resolve(futures: list, error) -> None:
    for future in futures:
        if future.done():
            continue
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(DeliveryError(f"送信記録を書き込めません: {describe_db_error(error)}"))


_held = threading.local()  # the send locks this thread holds: taking one again is a no-op


@contextlib.contextmanager
def run_lock(engine: sa.Engine, alert_id: int):
    """One sender per alert at a time (a second one would send everything twice).

    On SQLite the lock is an ``flock`` on ``<database>.send-<id>.lock``: the
    kernel drops it with the process, so a killed sender never blocks the next
    one. The holder removes the file when the run ends, while still holding it.
    The thread that holds it may take it again (``send_alert`` holds it over
    queueing and delivery); another thread or process is refused.
    """
    held = getattr(_held, "locks", None)
    if held is None:
        held = _held.locks = set()
    name = (engine.url.render_as_string(hide_password=True), int(alert_id))
    if name in held:
        yield
        return
    held.add(name)
    try:
        with _exclusive(engine, int(alert_id)):
            yield
    finally:
        held.discard(name)


@contextlib.contextmanager
def _exclusive(engine: sa.Engine, alert_id: int):
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            if not conn.execute(sa.text("SELECT pg_try_advisory_lock(8, :a)"), {"a": alert_id}).scalar():
                raise DeliveryError(f"配信 #{alert_id} は別の send が送信中です")
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(8, :a)"), {"a": alert_id})
        return
    if not database or database == ":memory:":
        yield
        return
    fd = lock_file(f"{database}.send-{alert_id}.lock")
    if fd is None:
        raise DeliveryError(f"配信 #{alert_id} は別の send が送信中です")
    try:
        yield
    finally:
        release_lock_file(f"{database}.send-{alert_id}.lock", fd)


def lock_file(path: str) -> int | None:
    """An open descriptor holding an exclusive ``flock`` on ``path``, or None when another process holds it.

    The holder unlinks the file on release, so a descriptor may lock a file
    that is no longer at ``path`` (opened just before a release unlinked it):
    such a lock excludes no one, so it is dropped and the path opened again.
    """
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        held = os.fstat(fd)
        if current is not None and (current.st_dev, current.st_ino) == (held.st_dev, held.st_ino):
            return fd
        os.close(fd)  # a file already released and unlinked: try the one at the path now


def release_lock_file(path: str, fd: int) -> None:
    """Remove the lock file, then drop the lock (unlinking first, so no one can lock the removed file and go on)."""
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    finally:
        os.close(fd)


def remove_stale_locks(engine: sa.Engine) -> int:
    """Remove the lock files that no running sender holds (left by versions that kept them); returns how many.

    Each is locked first, exactly as a sender would, so one in use is left alone.
    """
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        return 0
    removed = 0
    for path in glob.glob(f"{glob.escape(database)}.send-*.lock"):
        fd = lock_file(path)
        if fd is not None:
            release_lock_file(path, fd)
            removed += 1
    return removed


def prepare_run(engine: sa.Engine, alert_id: int, report: DeliveryReport,
                operator: str = "", *, now=None) -> tuple[list[OutboxItem], int]:
    """The rows a run has to send, and how many are final already.

    ``held`` rows whose quiet hours have ended by ``now`` (the current time
    when None) become ``queued``; the others wait, neither sent nor final.
    Rows a killed run left ``sending`` go back to ``queued`` and count as
    ``ambiguous`` (possible duplicates); rows of members who left since
    queueing become ``skipped``; rows without the service's signature over
    what they hold now, or with an address that could break a command or a
    header, become ``failed`` unsent (``report.invalid``, audited with their
    member numbers). Nothing is sent here: only a cleared delivery sends.
    """
    key = authority.require().key
    o, m = outbox.c, members.c

    def prepare():
        with engine.begin() as conn:
            report.ambiguous = conn.execute(outbox.update().where(o.alert_id == alert_id, o.state == "sending")
                                            .values(state="queued", ambiguous=o.ambiguous + 1)).rowcount
            report.released = conn.execute(outbox.update().where(o.alert_id == alert_id, o.state == HELD,
                                                                 o.next_attempt_at <= _utc(now))
                                           .values(state="queued", next_attempt_at=None)).rowcount
            left = sa.select(m.member_id).where(m.status != "active")
            report.skipped = conn.execute(outbox.update().where(o.alert_id == alert_id,
                                                                o.state.in_(("queued", "deferred", HELD)),
                                                                o.member_id.in_(left))
                                          .values(state="skipped")).rowcount
            rows = conn.execute(sa.select(o.member_id, o.email, o.domain, o.message_id, m.unsubscribe_token,
                                          o.queued_at, o.state, o.signature, m.language)
                                .join_from(outbox, members, o.member_id == m.member_id)
                                .where(o.alert_id == alert_id).order_by(o.seq)).all()
            return rows, _refuse_invalid(conn, key, alert_id, rows, operator)

    rows, refused = busy_retry(prepare)
    report.total = len(rows)
    report.invalid = len(refused)
    items = [OutboxItem(r.member_id, r.email, r.domain, r.message_id, r.unsubscribe_token, r.queued_at,
                        language=r.language or "ja")
             for r in rows if r.state in ("queued", "deferred") and r.member_id not in refused]
    report.held = sum(r.state == HELD for r in rows)
    report.already_done = report.total - len(items) - report.skipped - report.invalid - report.held
    return items, report.total - len(items)


def _refuse_invalid(conn, key: ServiceKey, alert_id: int, rows, operator: str) -> set[str]:
    """Mark the pending rows that must not be sent ``failed``, with the reason; audit them; their member ids."""
    unsigned, malformed = [], []
    for r in rows:
        if r.state not in ("queued", "deferred"):
            continue
        if not row_signed(key, alert_id, r.member_id, r.email, r.signature):
            unsigned.append(r.member_id)
        elif not plain_address(r.email) or not r.unsubscribe_token:
            malformed.append(r.member_id)
    o = outbox.c
    for ids, reason in ((unsigned, UNSIGNED), (malformed, BAD_ADDRESS)):
        for start in range(0, len(ids), 500):
            conn.execute(outbox.update().where(o.alert_id == alert_id, o.member_id.in_(ids[start:start + 500]))
                         .values(state="failed", last_code=None, last_reply=reason))
    if unsigned or malformed:
        audit.append(conn, operator or "(sender)", "outbox_refused", f"alert:{alert_id}",
                     {"unsigned": len(unsigned), "bad_address": len(malformed),
                      "member_ids": (unsigned + malformed)[:50]})
    return set(unsigned) | set(malformed)


def open_run(engine: sa.Engine, alert_id: int, operator: str | None, relay: str, started_at) -> int:
    """Record the start of a delivery run; returns its id."""
    def record() -> int:
        with engine.begin() as conn:
            return conn.execute(delivery_runs.insert().values(
                alert_id=alert_id, operator=operator, relay=relay, started_at=started_at)).inserted_primary_key[0]

    return busy_retry(record)


def finish_run(engine: sa.Engine, alert_id: int, report: DeliveryReport, started_at) -> None:
    """Fill the report's totals from the outbox and record the end of the run.

    ``possible_duplicates`` is the sum of the rows' ``ambiguous`` counts (every
    run of the alert). A run that leaves nothing pending but delivered nothing
    gets an error: an alert nobody received is never recorded as sent.
    """
    o = outbox.c

    def finish() -> None:
        with engine.begin() as conn:
            states = dict(conn.execute(sa.select(o.state, sa.func.count()).where(o.alert_id == alert_id)
                                       .group_by(o.state)).all())
            # A delivery ends a member's run of hard bounces (done here, once, rather than per message).
            sent = sa.select(o.member_id).where(o.alert_id == alert_id, o.state == "sent")
            conn.execute(members.update().where(members.c.hard_bounces > 0, members.c.member_id.in_(sent))
                         .values(hard_bounces=0))
            report.sent_total = states.get("sent", 0)
            report.failed_total = states.get("failed", 0)
            report.bounced_total = conn.execute(sa.select(sa.func.count()).select_from(bounces)
                                                .where(bounces.c.alert_id == alert_id)).scalar()
            report.pending = sum(states.get(s, 0) for s in PENDING_STATES)
            report.held = states.get(HELD, 0)
            held_until = conn.execute(sa.select(sa.func.min(o.next_attempt_at))
                                      .where(o.alert_id == alert_id, o.state == HELD)).scalar()
            report.possible_duplicates = int(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(o.ambiguous), 0))
                                                          .where(o.alert_id == alert_id)).scalar())
            report.suppressed = conn.execute(
                sa.select(sa.func.count()).select_from(members)
                .where(members.c.suppressed_at >= started_at,
                       members.c.member_id.in_(sa.select(bounces.c.member_id)
                                               .where(bounces.c.alert_id == alert_id)))).scalar()
            if report.error is None and report.pending:
                report.error = f"{report.pending}件が一時エラーのまま残りました(再試行の時間切れ)"
            elif report.error is None and report.held:
                report.error = (f"{report.held}件は会員が選んだ配信を控える時間帯のため保留中です"
                                f"({stored_tokyo(held_until):%m月%d日 %H:%M}以降にもう一度 send を実行すると送ります)")
            elif report.error is None and report.sent_total == 0:
                report.error = "1通も届いていません(送れなかった理由を確認してください。発信済みにはしていません)"
            conn.execute(delivery_runs.update().where(delivery_runs.c.run_id == report.run_id)
                         .values(finished_at=utc_now(), report=report.as_dict()))

    busy_retry(finish)
