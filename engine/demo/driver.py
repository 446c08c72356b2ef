"""Drives the deployed processes as named users under a manual clock: the demo seeds its data through the
engine (start, claim, complete, timers firing), never by writing registry rows."""
from __future__ import annotations

import heapq
from collections.abc import Callable, Generator
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from engine.access import accounts as users
from engine.access.actors import Actor, Grant
from engine.clock import ManualClock
from engine.errors import Conflict, EngineError
from engine.notices import board as notices
from engine.notices import documents
from engine.runtime.actions import ENDED_STATES, instance_data
from engine.runtime.models import Instance, Task, Timer
from engine.timers import schedules
from engine.timers.service import TimerService

OPEN = ("ready", "claimed")


def as_utc(moment: datetime) -> datetime:
    """In UTC, as the clock keeps time (SQLite gives due times back naive; schedules answer in Beijing time)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

Program = Generator[int | datetime, None, object]  # yields days to wait, or the moment to wait for


class Driver:
    """One engine, one manual clock, and the people who act; every call is one transaction, as over HTTP."""

    def __init__(self, engine, clock: ManualClock, password: str, progress: Callable[[str], None] = print):
        self.engine, self.clock, self.password, self.progress = engine, clock, password, progress
        self.actions = 0
        self._password_hash: str | None = None  # every demo account has the same password: hash it once

    # ----- people --------------------------------------------------------------------------------------
    def user(self, name: str, grants: list[str], unit: str | None = None, display_name: str | None = None) -> None:
        if self._password_hash is None:
            with self.engine.bound():  # the engine's argon2 cost, outside any transaction
                self._password_hash = users.hash_password(self.password)
        with self.engine.db.transaction() as session:
            users.create_user(session, name, self.password, [Grant.parse(g) for g in grants], unit=unit,
                              display_name=display_name, actor="demo", reason="demo dataset",
                              password_hash=self._password_hash)

    def grant(self, name: str, grant: str) -> None:
        try:
            with self.engine.db.transaction() as session:
                users.grant_role(session, users.get_user(session, name), Grant.parse(grant), actor="demo",
                                 reason="demo dataset")
        except Conflict:
            pass  # held already

    def register_chief(self, secretariat: str, code: str, name: str) -> None:
        """``name`` in ``code``'s chief-reviewer register, granted by the committee (its secretariat), once."""
        from engine.committees import reviewers

        with self.engine.db.transaction() as session:
            if reviewers.active(session, code, name) is None:
                reviewers.register(session, self._actor(session, secretariat), code, name, "计量技术",
                                   "副高级以上职称，从事本专业十年以上", "committee", "demo dataset")

    @staticmethod
    def _actor(session, name: str) -> Actor:
        return users.actor_for(session, users.get_user(session, name))

    # ----- instances and tasks -------------------------------------------------------------------------
    def start(self, name: str, process_key: str, scope: dict, variables: dict | None = None) -> str:
        with self.engine.db.transaction() as session:
            instance = self.engine.runtime.start(session, self._actor(session, name), process_key,
                                                 variables=variables, scope=scope)
            self.actions += 1
            return instance.id

    def do(self, name: str, iid: str, element: str, data: dict | None = None) -> None:
        """Claim and complete the open task of ``element`` in ``iid`` (one not claimed by someone else)."""
        runtime = self.engine.runtime
        with self.engine.db.transaction() as session:
            task = session.scalars(select(Task).where(
                Task.instance_id == iid, Task.element_id == element, Task.state.in_(OPEN),
                (Task.assignee.is_(None)) | (Task.assignee == name)).order_by(Task.id)).first()
            if task is None:
                open_ = session.scalars(select(Task.element_id).where(Task.instance_id == iid,
                                                                      Task.state.in_(OPEN))).all()
                raise LookupError(f"no open task {element} in {iid} for {name}; open: {open_}")
            actor = self._actor(session, name)
            runtime.claim(session, actor, task.id)
            try:
                runtime.complete(session, actor, task.id, data or {})
            except EngineError as err:
                raise RuntimeError(f"{name} could not complete {element}: {err.detail} {err.errors or ''}") from err
            self.actions += 1

    def instance_committee(self, iid: str) -> str | None:
        with self.engine.db.transaction() as session:
            return session.get(Instance, iid).committee

    def data(self, iid: str) -> dict:
        with self.engine.db.transaction() as session:
            return instance_data(self.engine.runtime, session, session.get(Instance, iid))

    def registry_member(self, code: str, name: str) -> int:
        """The registry id of a current member (what the secretariat reads on the committee's page)."""
        from engine.committees import registry

        with self.engine.db.transaction() as session:
            committee = registry.require(session, code)
            return next(m.id for m in registry.members(session, committee) if m.name == name)

    def find(self, process_key: str, committee: str | None = None, specification: str | None = None) -> str | None:
        """The newest running instance of ``process_key`` for a committee or specification (a schedule started
        it), or None."""
        query = select(Instance.id).where(Instance.process_key == process_key, Instance.state.not_in(ENDED_STATES))
        if committee:
            query = query.where(Instance.committee == committee)
        if specification:
            query = query.where(Instance.specification == specification)
        with self.engine.db.transaction() as session:
            return session.scalar(query.order_by(Instance.created_at.desc()).limit(1))

    def schedule(self, name: str, process_key: str, rule: dict, subjects: str) -> None:
        """A schedule of the authority, as ``POST /schedules`` makes it: the registry drives later starts."""
        with self.engine.db.transaction() as session:
            schedules.create(session, self.engine.definitions, self.engine.schedules, "samr",
                             process_key=process_key, rule=rule, subjects=subjects, name=name, level="national")

    def upload(self, name: str, iid: str, element: str, filename: str, text: str) -> int:
        """A document on the open task of ``element`` (drafts and reports are files, hashed in the history)."""
        with self.engine.db.transaction() as session:
            task_id = session.scalar(select(Task.id).where(Task.instance_id == iid, Task.element_id == element,
                                                           Task.state.in_(OPEN)))
            policy = documents.DocumentPolicy.from_settings(self.engine.settings)
            document = documents.upload(session, self.engine.runtime, self._actor(session, name), policy, iid,
                                        filename, "text/plain", text.encode(), task_id=task_id)
            return document.id

    def comment(self, notice_id: int, author: str, unit: str, text: str, kind: str = "comment") -> None:
        """A member of the public comments on an open notice (no login)."""
        with self.engine.db.transaction() as session:
            notices.add_comment(session, notice_id, kind, author, unit, None, text,
                                self.engine.runtime.lock_instance)

    # ----- time ----------------------------------------------------------------------------------------
    def advance(self, **delta) -> None:
        self.set(self.clock.now() + timedelta(**delta))

    def set(self, moment: datetime) -> None:
        """Move the clock (never back), stopping at each timer and scheduled start on the way so that each fires
        at its own time, as a worker would."""
        while True:
            self._fire()
            now = as_utc(self.clock.now())
            with self.engine.db.transaction() as session:
                timer = session.scalar(select(func.min(Timer.due_at)).where(Timer.state == "waiting",
                                                                            Timer.due_at > now))
                scheduled = schedules.next_due(session, self.engine.schedules)
                due = [as_utc(t) for t in (timer, scheduled) if t is not None]
            upcoming = min(due, default=None)
            if upcoming is None or upcoming > moment:
                break
            self.clock.set(upcoming + timedelta(seconds=1))  # SpiffWorkflow fires a timer once it is past due
        if moment > self.clock.now():
            self.clock.set(moment)
        self._fire()

    def _fire(self) -> None:
        TimerService(self.engine.db, self.engine.runtime).run_pending()
        schedules.run_due(self.engine.db, self.engine.runtime, self.engine.schedules)

    def run(self, programs: list[Program]) -> None:
        """Interleave programs in time order: each one yields how long it waits, and resumes when the clock
        (moved by the earliest waiter, with the timers it passes firing) gets there."""
        queue = [(self.clock.now(), i, program) for i, program in enumerate(programs)]
        heapq.heapify(queue)
        while queue:
            moment, i, program = heapq.heappop(queue)
            self.set(moment)
            try:
                wait = next(program)
            except StopIteration:
                continue
            due = wait if isinstance(wait, datetime) else self.clock.now() + timedelta(days=wait)
            heapq.heappush(queue, (max(due, self.clock.now()), i, program))
