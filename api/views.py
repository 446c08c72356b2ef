"""Shape stored rows into the payloads of the API contract."""
from __future__ import annotations

from engine.runtime import lookups
from engine.runtime.forms import FormRegistry
from engine.runtime.models import Definition, Instance, Task


def page_payload(items: list, total: int, page: int, per_page: int, capped: bool | None = None) -> dict:
    payload = {"items": items, "total": total, "page": page, "per_page": per_page}
    if capped is not None:
        payload["total_capped"] = capped
    return payload


def definition_view(d: Definition, created: bool | None = None) -> dict:
    view = {"key": d.key, "version": d.version, "name": d.name, "sha256": d.sha256, "filename": d.filename,
            "deployed_at": d.deployed_at, "deployed_by": d.deployed_by}
    if created is not None:
        view["created"] = created
    return view


def task_view(t: Task, forms: FormRegistry | None = None) -> dict:
    view = {"id": t.id, "instance_id": t.instance_id, "process_key": t.process_key, "element_id": t.element_id,
            "name": t.name, "lane": t.lane, "role": t.role, "duty": t.duty,
            "scope": {"committee": t.committee, "specification": t.specification, "level": t.level,
                      "jurisdiction": t.jurisdiction},
            "state": t.state, "assignee": t.assignee, "due_at": t.due_at, "form_key": t.form_key,
            "created_at": t.created_at, "completed_at": t.completed_at, "completed_by": t.completed_by}
    if forms is not None:
        view["form"] = forms.get(t.form_key)
    return view


def instance_view(session, i: Instance, data: dict | None = None) -> dict:
    tasks, timers = lookups.open_tasks(session, i.id), lookups.waiting_timers(session, i.id)
    return {"id": i.id, "process_key": i.process_key, "version": i.process_version,
            "business_key": i.business_key, "state": i.state, "error": i.error,
            "scope": {"committee": i.committee, "specification": i.specification, "level": i.level,
                      "jurisdiction": i.jurisdiction},
            "tasks": [task_view(t) for t in tasks], "timers": timers,
            "data": data, "started_by": i.started_by, "created_at": i.created_at, "updated_at": i.updated_at,
            "ended_at": i.ended_at}
