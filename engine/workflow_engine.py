"""The embedded engine assembled from its parts; usable from a script without the API."""
from __future__ import annotations

from pathlib import Path

from . import (
    lifecycle,  # noqa: F401  (registers the lifecycle services)
    migrate,
    timing,
    users,
)
from .config import Settings
from .db import Database
from .definitions import DefinitionStore, deploy_directory_files
from .forms import FormRegistry
from .lifecycle import (
    committee_providers,  # noqa: F401  (schedule subjects from the committee registry)
    spec_providers,  # noqa: F401  (schedule subjects from the specification registry)
)
from .runtime import Runtime
from .scripting import script_engine_factory


class WorkflowEngine:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.db = Database(settings.database_url)
        users.configure_hashing(settings.argon2_time_cost, settings.argon2_memory_kib)
        timing.configure(settings)
        self.forms = FormRegistry(settings.forms_dir, *settings.extra_forms_dirs)
        self.definitions = DefinitionStore(settings.max_bytes)
        self.runtime = Runtime(self.definitions, self.forms,
                               script_engine_factory(settings.script_time_limit, settings.script_max_steps))

    def migrate(self) -> None:
        migrate.upgrade(self.settings.database_url)

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
