"""What each kind of notice shows the public (BR15, 62号 六/八): the plan, the member list, the project, the
draft, the announcement — the things the public is asked to judge, never only a title.

One builder per notice kind, looked up by ``notice_open``; each picks named public fields from the process
variables or the registry, so private data (contacts, accounts) never reaches the board by accident.
"""
from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy.orm import Session

from engine.errors import InvalidInput
from engine.specifications.models import Specification

LABELS = {
    "committee_name": "委员会名称", "committee_code": "委员会代号", "scope": "业务范围", "justification": "筹建必要性",
    "spec_framework": "计量技术规范体系框架", "host_unit": "秘书处承担单位", "secretariat": "秘书处工作条件",
    "planned_composition": "拟组成方案", "work_plan": "工作计划", "members": "委员名单", "member_count": "委员人数",
    "title": "规范名称", "type": "规范类型", "project_kind": "制定或修订", "replaces": "被代替规范",
    "application_scope": "适用范围", "necessity": "必要性", "adopted_document": "采用的国际文件",
    "drafting_units": "起草单位", "responsible_committee": "归口", "planned_completion": "计划完成时间",
    "livelihood": "民生计量", "announcement_number": "公告号", "issuer": "发布机关", "specifications": "发布的规范",
    "name": "姓名", "unit": "工作单位", "role": "委员会职务", "stakeholder_category": "利益相关方类别",
    "number": "编号", "publication_date": "发布日期", "effective_date": "实施日期", "replaces_number": "代替",
}
MEMBER_FIELDS = ("name", "unit", "title", "role", "stakeholder_category")  # no contacts, no accounts
PROJECT_FIELDS = ("application_scope", "necessity", "adopted_document", "planned_completion")
CONTENT_MAX = 200_000  # characters of JSON: a notice is a page, not an archive


def _text(data: dict, name: str) -> str | None:
    value = data.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _clean(content: dict) -> dict:
    return {k: v for k, v in content.items() if v not in (None, "", [])}


def establishment(session: Session, data: dict, scope: dict) -> dict:
    """筹建方案: scope, host unit, secretariat and the planned composition."""
    return _clean({"committee_name": _text(data, "committee_name"), "committee_code": scope.get("committee"),
                   "scope": _text(data, "committee_scope"), "justification": _text(data, "justification"),
                   "spec_framework": _text(data, "spec_framework"), "host_unit": _text(data, "secretariat_host"),
                   "secretariat": _text(data, "resources"), "planned_composition": _text(data, "planned_composition"),
                   "work_plan": _text(data, "work_plan")})


def composition(session: Session, data: dict, scope: dict) -> dict:
    """组建方案: the proposed member list with unit, title, role and stakeholder category."""
    members = [{k: m.get(k) for k in MEMBER_FIELDS if m.get(k) not in (None, "")}
               for m in data.get("composition_members") or [] if isinstance(m, dict)]
    return _clean({"committee_name": _text(data, "committee_name"), "committee_code": scope.get("committee"),
                   "member_count": len(members), "members": members})


def _spec(session: Session, scope: dict) -> Specification | None:
    return session.get(Specification, scope["specification"]) if scope.get("specification") else None


def project(session: Session, data: dict, scope: dict) -> dict:
    """立项公示: what is to be written and why — scope, necessity, drafting units."""
    spec = _spec(session, scope)
    if spec is None:
        return {}
    proposal = spec.proposal or {}
    replaced = session.get(Specification, spec.replaces) if spec.replaces else None
    kind = "修订" if spec.kind == "revision" else "制定"
    return _clean({"title": spec.title, "type": spec.type, "project_kind": kind,
                   "replaces": (replaced.number or replaced.id) if replaced else None,
                   "drafting_units": list(spec.drafting_units or []), "responsible_committee": spec.committee,
                   "livelihood": bool(spec.livelihood) or None,
                   **{k: proposal.get(k) for k in PROJECT_FIELDS}})


def comment_draft(session: Session, data: dict, scope: dict) -> dict:
    """征求意见稿: the draft is the linked document; the page says what it is about."""
    spec = _spec(session, scope)
    if spec is None:
        return {}
    proposal = spec.proposal or {}
    return _clean({"title": spec.title, "type": spec.type, "application_scope": proposal.get("application_scope"),
                   "drafting_units": list(spec.drafting_units or []), "responsible_committee": spec.committee})


BUILDERS: dict[str, Callable[[Session, dict, dict], dict]] = {
    "establishment": establishment, "composition": composition, "project": project, "comment_draft": comment_draft,
}


def build(session: Session, kind: str, data: dict, scope: dict) -> dict | None:
    """The content of a new notice of ``kind``; a ``…_content`` dict handed in by the process wins."""
    builder = BUILDERS.get(kind)
    return (builder(session, data, scope) or None) if builder else None


def given(value) -> dict | None:
    """A content dict a service handed to ``notice_open`` (the approval announcement), checked for size."""
    if value in (None, {}):
        return None
    if not isinstance(value, dict):
        raise InvalidInput("notice_content must be an object.",
                           [{"field": "notice_content", "message": "not an object"}])
    if len(json.dumps(value, ensure_ascii=False, default=str)) > CONTENT_MAX:
        raise InvalidInput("notice_content is too large.", [{"field": "notice_content", "message": "too large"}])
    return value
