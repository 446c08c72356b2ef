"""Every table of the product in one metadata, for Alembic and ``create_all``; the engine never imports it."""
from engine.access.models import (
    AccessToken,
    ConflictDeclaration,
    ExternalIdentity,
    InstanceFact,
    LoginFailure,
    RoleAssignment,
    User,
)
from engine.assessment.models import MemberAssessment
from engine.committees.models import ChiefReviewer, Committee, CommitteeAssessment, CommitteeMember, CommitteeReport
from engine.consistency.models import Finding, SearchDocument
from engine.db.base import Base
from engine.filing.models import Filing, FilingObjection
from engine.history.models import AnchorHead, AuditAnchor, Event, StateSnapshot
from engine.mail.models import MailOutbox, MailPreference
from engine.notices.models import Document, DocumentBlob, Notice, NoticeComment, NoticeDocument
from engine.plans.models import Need, NeedCall, Plan, PlanAdjustment, PlanItem
from engine.publication.models import PublishedText
from engine.rules.models import HolidayYear
from engine.runtime.models import Definition, Incident, Instance, Notification, Task, Timer
from engine.specifications.models import SpecChange, SpecCounter, Specification
from engine.timers.models import Schedule, ScheduleRun

metadata = Base.metadata

# Store-specific structures made by raw DDL in migration 0017, not by the models: SQLite's FTS5 table of the
# consistency search with its shadow and vocabulary tables; PostgreSQL's tsvector column and its GIN index.
# Alembic's comparison leaves them alone.
UNMANAGED_TABLES = ("spec_search_fts", "spec_search_vocab")
UNMANAGED_COLUMNS = {("spec_search_documents", "document")}
UNMANAGED_INDEXES = {"ix_spec_search_documents_document"}


def managed(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic ``include_name`` hook: False for the unmanaged structures above."""
    if type_ == "table":
        return not (name and name.startswith(UNMANAGED_TABLES))
    if type_ == "column":
        return (parent_names.get("table_name"), name) not in UNMANAGED_COLUMNS
    if type_ == "index":
        return name not in UNMANAGED_INDEXES
    return True

__all__ = [
    "AccessToken", "AnchorHead", "AuditAnchor", "Base", "ChiefReviewer", "Committee", "CommitteeAssessment",
    "CommitteeMember", "CommitteeReport", "ConflictDeclaration", "Definition", "Document", "DocumentBlob", "Event",
    "ExternalIdentity", "Filing", "FilingObjection", "Finding", "HolidayYear", "Incident", "Instance", "InstanceFact",
    "LoginFailure", "MailOutbox", "MailPreference", "MemberAssessment", "Need", "NeedCall", "Notice", "NoticeComment",
    "NoticeDocument", "Notification", "Plan", "PlanAdjustment", "PlanItem", "PublishedText", "RoleAssignment",
    "Schedule", "ScheduleRun", "SearchDocument", "SpecChange", "SpecCounter", "Specification", "StateSnapshot",
    "Task", "Timer", "User", "managed", "metadata",
]
