"""Schedule subjects from the committee registry: ``active_committees`` — every working committee with its
level and, as ``anchor``, the last day of its term (so ``{"kind": "before", "duration": "renewal_lead"}``
starts the renewal of each term once); ``flagged_committees`` — working committees flagged for assessment
(BR8), anchored on the day of the flag (``{"kind": "after", "duration": "assessment_after_flag"}`` starts P5);
``serving_committees`` — working committees anchored on their term's first day (``{"kind": "every", "duration":
"chair_report_interval"}`` calls for the chair's report, P4).
The sweep ``committee_terms`` revokes the grants of members whose term ended without renewal (BR14).

Registered when the engine is assembled (engine/workflow_engine.py imports this module), not from the
package ``__init__``: engine.db.tables imports the lifecycle package, and engine.timers.schedules may at that very
moment still be importing engine.db.tables, without its provider table yet.
"""
from __future__ import annotations

from engine.access.actors import SYSTEM
from engine.committees.appointments import end_expired_terms
from engine.committees.registry import active_committees, flagged_committees, serving_committees
from engine.rules.workdays import BEIJING
from engine.timers import schedules

schedules.SUBJECT_PROVIDERS["active_committees"] = active_committees
schedules.SUBJECT_PROVIDERS["flagged_committees"] = flagged_committees
schedules.SUBJECT_PROVIDERS["serving_committees"] = serving_committees
schedules.SWEEPS["committee_terms"] = lambda session, now: end_expired_terms(
    session, now.astimezone(BEIJING).date(), actor=SYSTEM)
