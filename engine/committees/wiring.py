"""What the committee package offers an engine, added when the engine is assembled (never on import).

Services: the ones P1–P5 and the supervision processes call. Schedule subjects: ``active_committees`` — every
working committee with its level and, as ``anchor``, the last day of its term (so ``{"kind": "before",
"duration": "renewal_lead"}`` starts the renewal of each term once); ``flagged_committees`` — working committees
flagged for assessment (BR8), anchored on the day of the flag (``{"kind": "after", "duration":
"assessment_after_flag"}`` starts P5); ``serving_committees`` — working committees anchored on their term's
first day (``{"kind": "every", "duration": "chair_report_interval"}`` calls for the chair's report, P4). The
sweep ``committee_terms`` revokes the grants of members whose term ended without renewal (BR14).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.access.actors import SYSTEM
from engine.bpmn.service_tasks import ServiceRegistry
from engine.committees import dynamic, member_changes, services, supervision, term_extension
from engine.committees.appointments import end_expired_terms
from engine.committees.registry import active_committees, flagged_committees, serving_committees
from engine.rules.workdays import BEIJING
from engine.timers.schedules import ScheduleSources


def _end_expired_terms(session: Session, now: datetime) -> None:
    end_expired_terms(session, now.astimezone(BEIJING).date(), actor=SYSTEM)


def register(registry: ServiceRegistry, schedules: ScheduleSources) -> None:
    registry.add_marked(services, supervision, term_extension, dynamic, member_changes)
    schedules.providers["active_committees"] = active_committees
    schedules.providers["flagged_committees"] = flagged_committees
    schedules.providers["serving_committees"] = serving_committees
    schedules.sweeps["committee_terms"] = _end_expired_terms
