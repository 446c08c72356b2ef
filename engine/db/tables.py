"""Every table of the product in one metadata, for Alembic and ``create_all``; the engine never imports it."""
from engine.access.models import AccessToken, ConflictDeclaration, InstanceFact, LoginFailure, RoleAssignment, User
from engine.assessment.models import MemberAssessment
from engine.committees.models import Committee, CommitteeAssessment, CommitteeMember, CommitteeReport
from engine.consistency.models import Finding, SearchDocument
from engine.db.base import Base
from engine.filing.models import Filing, FilingObjection
from engine.history.models import AnchorHead, AuditAnchor, Event, StateSnapshot
from engine.notices.models import Document, DocumentBlob, Notice, NoticeComment, NoticeDocument
from engine.plans.models import Need, NeedCall, Plan, PlanAdjustment, PlanItem
from engine.publication.models import PublishedText
from engine.runtime.models import Definition, Incident, Instance, Notification, Task, Timer
from engine.specifications.models import SpecChange, SpecCounter, Specification
from engine.timers.models import Schedule, ScheduleRun

metadata = Base.metadata

__all__ = [
    "AccessToken", "AnchorHead", "AuditAnchor", "Base", "Committee", "CommitteeAssessment", "CommitteeMember",
    "CommitteeReport", "ConflictDeclaration", "Definition", "Document", "DocumentBlob", "Event", "Filing",
    "FilingObjection", "Finding", "Incident", "Instance", "InstanceFact", "LoginFailure", "MemberAssessment", "Need",
    "NeedCall", "Notice", "NoticeComment", "NoticeDocument", "Notification", "Plan", "PlanAdjustment", "PlanItem",
    "PublishedText", "RoleAssignment", "Schedule", "ScheduleRun", "SearchDocument", "SpecChange", "SpecCounter",
    "Specification",
    "StateSnapshot", "Task", "Timer", "User", "metadata",
]
