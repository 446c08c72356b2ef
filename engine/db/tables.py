"""Every table of the product in one metadata, for Alembic and ``create_all``; the engine never imports it."""
from engine.access.models import AccessToken, ConflictDeclaration, InstanceFact, LoginFailure, RoleAssignment, User
from engine.committees.models import Committee, CommitteeAssessment, CommitteeMember, CommitteeReport
from engine.db.base import Base
from engine.history.models import AnchorHead, AuditAnchor, Event, StateSnapshot
from engine.notices.models import Document, DocumentBlob, Notice, NoticeComment, NoticeDocument
from engine.rules.models import HolidayYear
from engine.runtime.models import Definition, Incident, Instance, Notification, Task, Timer
from engine.specifications.models import SpecChange, SpecCounter, Specification
from engine.timers.models import Schedule, ScheduleRun

metadata = Base.metadata

__all__ = [
    "AccessToken", "AnchorHead", "AuditAnchor", "Base", "Committee", "CommitteeAssessment", "CommitteeMember",
    "CommitteeReport", "ConflictDeclaration", "Definition", "Document", "DocumentBlob", "Event", "HolidayYear",
    "Incident", "Instance", "InstanceFact", "LoginFailure", "Notice", "NoticeComment", "NoticeDocument",
    "Notification", "RoleAssignment", "Schedule", "ScheduleRun", "SpecChange", "SpecCounter", "Specification",
    "StateSnapshot", "Task", "Timer", "User", "metadata",
]
