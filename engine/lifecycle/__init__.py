"""Lifecycle of committees and specifications: registries, services the diagrams call, notices, documents."""
from engine.committees import services as committee_services  # noqa: F401,I001
from engine.committees import supervision as committee_supervision  # noqa: F401,I001
from engine.notices import services as notice_services  # noqa: F401
from engine.specifications import projects as project_services  # noqa: F401
from engine.specifications import drafting as drafting_services  # noqa: F401
from engine.specifications import comments as comment_services  # noqa: F401
from engine.specifications import review as review_services  # noqa: F401
from engine.specifications import approval as approval_services  # noqa: F401
from engine.specifications import maintenance as maintenance_services  # noqa: F401
from engine.committees import term_extension as term_extension_services  # noqa: F401
from engine.committees import dynamic as dynamic_services  # noqa: F401
