"""The embedded engine assembled from its parts; usable from a script without the API."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from engine.access import accounts as users
from engine.bpmn.service_tasks import ServiceRegistry
from engine.bpmn.state import StateSerializer
from engine.committees import wiring as committees
from engine.config import Settings
from engine.consistency import index as consistency_index
from engine.consistency import wiring as consistency
from engine.db import migrate
from engine.db.session import Database
from engine.filing import wiring as filing
from engine.history import log as history
from engine.mail import outbox as mail_outbox
from engine.mail.sender import Mailer
from engine.notices import wiring as notices
from engine.plans import wiring as plans
from engine.rules import profiles, workdays
from engine.runtime.actions import Runtime
from engine.runtime.definitions import DefinitionStore, deploy_directory_files
from engine.runtime.forms import FormRegistry
from engine.runtime.scripting import script_engine_factory
from engine.specifications import wiring as specifications
from engine.timers import holidays
from engine.timers import hooks as timer_hooks
from engine.timers.schedules import ScheduleSources


class WorkflowEngine:
    def __init__(self, settings: Settings):
        self.settings = settings
        directory = settings.profiles_dir or settings.processes_dir / "profiles"
        self.profiles = profiles.load_profiles(directory)
        self.calendar = workdays.WorkCalendar(settings.holidays_dir or directory / "holidays")
        self.hashing = users.Hashing.of(settings.argon2_time_cost, settings.argon2_memory_kib)
        self.db = Database(settings.database_url, bind=self.bound)
        self.calendar.lookup = holidays.lookup(self.db)  # years a process admin entered (engine.timers.holidays)
        history.attach(self.db)
        self.mailer: Mailer | None = None  # e-mail copies of notifications, only with an SMTP server configured
        if settings.mail.configured:
            mail_outbox.attach(self.db, settings.mail)  # after history (reads its events), before the wakers
            self.mailer = Mailer(self.db, settings.mail)
        consistency_index.attach(self.db)  # the full-text index changes in the registry's transaction
        self.wakers = timer_hooks.CommitWakers()  # a TimerWorker adds itself; commits storing timers wake it
        self.wakers.attach(self.db)
        self.services = ServiceRegistry()
        self.schedules = ScheduleSources()
        committees.register(self.services, self.schedules)
        specifications.register(self.services, self.schedules)
        notices.register(self.services)
        plans.register(self.services)
        consistency.register(self.services)
        filing.register(self.services)
        self.forms = FormRegistry(settings.forms_dir, *settings.extra_forms_dirs)
        self.serializer = StateSerializer()
        self.definitions = DefinitionStore(settings.max_bytes, self.serializer, services=self.services)
        self.runtime = Runtime(self.definitions, self.forms,
                               script_engine_factory(settings.script_time_limit, settings.script_max_steps),
                               self.serializer)

    @contextmanager
    def bound(self) -> Iterator[WorkflowEngine]:
        """This engine's profiles, calendar and password hashing are the current ones inside the block: every
        transaction of ``db`` enters it; code that reads them outside a transaction may too."""
        with ExitStack() as stack:
            stack.enter_context(profiles.bound(self.profiles))
            stack.enter_context(workdays.bound(self.calendar))
            stack.enter_context(users.bound_hashing(self.hashing))
            yield self

    def migrate(self) -> None:
        """Upgrade the schema, then fill what a migration must not compute with today's code (search index)."""
        migrate.upgrade(self.settings.database_url)
        with self.db.transaction() as session:
            consistency_index.backfill(session)

    def deploy_files(self, paths: list[Path], actor: str | None = "system"):
        """Deploy files together (call activities may cross them); returns ``(definition, created)``."""
        with self.db.transaction() as session:
            results = deploy_directory_files(self.definitions, session, paths, actor)
            return [(d.key, d.version, created) for d, created in results]

    def deploy_bundled(self, actor: str | None = "system"):
        directory = self.settings.processes_dir
        paths = sorted(directory.glob("*.bpmn")) if directory.is_dir() else []
        return self.deploy_files(paths, actor) if paths else []

    def close(self) -> None:
        self.db.dispose()
