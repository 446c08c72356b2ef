"""Schedule subjects from the specification registry (imported by the engine, not by the lifecycle package,
so that loading the models never imports the scheduler)."""
from ..schedules import SUBJECT_PROVIDERS
from . import spec_registry

SUBJECT_PROVIDERS["effective_specifications"] = spec_registry.effective_subjects
