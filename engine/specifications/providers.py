"""Schedule subjects from the specification registry (imported by the engine, not by the lifecycle package,
so that loading the models never imports the scheduler)."""
from engine.specifications import registry as spec_registry
from engine.timers.schedules import SUBJECT_PROVIDERS

SUBJECT_PROVIDERS["effective_specifications"] = spec_registry.effective_subjects
