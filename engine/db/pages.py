"""One page of a query and its total: every paginated listing of the engine goes through here."""
from __future__ import annotations

from sqlalchemy import Select, func, literal_column, select
from sqlalchemy.orm import Session


def paginate(session: Session, query: Select, page: int, per_page: int) -> tuple[list, int]:
    """The rows of page ``page`` (from 1) and the number of rows the whole query matches."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return items, total


def paginate_capped(session: Session, query: Select, page: int, per_page: int, cap: int) -> tuple[list, int, bool]:
    """Like :func:`paginate`, but counts at most ``cap`` + 1 rows, so a pool of 100,000 open tasks costs no more
    than one of ``cap``: returns the page, the total (``cap`` when capped) and whether it was capped. The counted
    rows select a constant, so an index that answers the filter answers the count without reading the table."""
    rows = query.order_by(None).with_only_columns(literal_column("1"), maintain_column_froms=True).limit(cap + 1)
    counted = session.scalar(select(func.count()).select_from(rows.subquery()))
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return items, min(counted, cap), counted > cap
