"""Lifecycle of committees and specifications: registries, services the diagrams call, notices, documents."""
from . import committee_services  # noqa: F401,I001
from . import committee_supervision  # noqa: F401,I001
from . import notice_services  # noqa: F401
from . import project_services  # noqa: F401
from . import drafting_services  # noqa: F401
from . import comment_services  # noqa: F401
from . import review_services  # noqa: F401
from . import approval_services  # noqa: F401
from . import maintenance_services  # noqa: F401
from . import term_extension_services  # noqa: F401
