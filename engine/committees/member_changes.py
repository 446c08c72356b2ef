"""Member changes during a term (增补 / 调整 / 解聘, BR5, BR6, BR14): the registry and the grants change together.

- ``member_change_check`` (``change_kind`` add | adjust | dismiss, ``change_reason``, ``member_id``,
  ``new_member`` or the ``new_*`` fields) → ``change_ok``, ``change_report``, ``change_summary``. BR6 applies to
  an added member against the rest of the term; BR5 to the composition as it would be. A change is refused when
  it makes a check fail that the current composition passes; failures the committee already has are reported,
  not charged to the change. A dismissal may leave the committee short (``size``): it is reported so that an
  addition follows, since a member who must go cannot wait for a successor.
- ``member_change_apply`` (the same, after the authority's approval) checks again (the composition may have
  changed meanwhile) and writes: an added member is appointed (account linked, committee role for the rest of the
  term), an adjusted one keeps the row and has the grants of the new role, a dismissed one is released (grants
  revoked) — each with who decided and why.
"""
from __future__ import annotations

from engine import clock
from engine.bpmn.service_tasks import ServiceContext, service
from engine.committees import appointments, registry, rules
from engine.committees.models import MEMBER_ROLES, VOTING_ROLES, Committee, CommitteeMember
from engine.committees.services import actor_name, committee_of, profile_of, record
from engine.errors import Conflict, InvalidInput

KINDS = {"add": "增补", "adjust": "调整", "dismiss": "解聘"}
ADJUSTABLE = {"new_role": "role", "new_unit": "unit", "new_stakeholder_category": "stakeholder_category",
              "new_title": "title", "new_title_level": "title_level"}
SHORTFALL_ALLOWED = {"dismiss": {("BR5", "size", None)}}  # reported, not blocking
ENTRY_FIELDS = ("name", "unit", "role", "stakeholder_category", "title", "title_level", "username")


def _entry(row: CommitteeMember) -> dict:
    return {"member_id": row.id, **{k: getattr(row, k) for k in ENTRY_FIELDS}, "eligible": True}


def _reason(data: dict) -> str:
    reason = data.get("change_reason")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("A member change states its reason.", [{"field": "change_reason"}])
    return reason.strip()


def _row(members: list[CommitteeMember], data: dict) -> CommitteeMember:
    found = [m for m in members if m.id == data.get("member_id")]
    if not found:
        raise InvalidInput(f"Member {data.get('member_id')!r} is not in the current composition.",
                           [{"field": "member_id", "message": "not a current member"}])
    return found[0]


def _changes(data: dict, row: CommitteeMember) -> dict:
    changes = {column: data[name].strip() for name, column in ADJUSTABLE.items()
               if isinstance(data.get(name), str) and data[name].strip()}
    changes = {c: v for c, v in changes.items() if getattr(row, c) != v}
    if not changes:
        raise InvalidInput("An adjustment names what changes (new_role, new_unit, new_stakeholder_category, "
                           "new_title, new_title_level).", [{"field": "new_role", "message": "nothing changes"}])
    if changes.get("role", MEMBER_ROLES[0]) not in MEMBER_ROLES:
        raise InvalidInput("Unknown role.", [{"field": "new_role"}])
    return changes


def _key(check: dict) -> tuple:
    return check["rule"], check["check"], check.get("subject")


def _plan(ctx: ServiceContext, committee: Committee, data: dict) -> dict:
    """The change as the registry would take it, with the BR5/BR6 report of the composition after it."""
    kind = data.get("change_kind")
    if kind not in KINDS:
        raise InvalidInput(f"'change_kind' must be one of {', '.join(KINDS)}.", [{"field": "change_kind"}])
    if committee.status not in registry.WORKING or registry.term_expired(committee):
        raise Conflict(f"委员会 {committee.code} 的状态为 {committee.status}"
                       f"{'（任期已届满）' if registry.term_expired(committee) else ''}，不能办理届中委员变更。",
                       rule="committee-status")
    reason, profile = _reason(data), profile_of(ctx)
    rows = appointments.current(ctx.session, committee)
    before = [_entry(r) for r in rows]
    after, extra, target, changes = [dict(e) for e in before], [], None, {}
    if kind == "add":
        candidate = data.get("new_member")
        if not isinstance(candidate, dict) or not candidate.get("name") or not candidate.get("unit"):
            raise InvalidInput("An addition names the new member.", [{"field": "new_member"}])
        extra = rules.eligibility(candidate, profile, committee.term_end or registry.today())
        if any(e["name"] == candidate["name"] and e["unit"] == candidate["unit"] for e in before):
            extra.append(rules.Check("BR5", "duplicate", False,
                                     f"{candidate['name']}（{candidate['unit']}）已是本届委员", candidate["name"]))
        after.append({**{k: candidate.get(k) for k in ENTRY_FIELDS}, "role": candidate.get("role") or "member",
                      "eligible": all(c.passed for c in extra)})
    else:
        target = _row(rows, data)
        if kind == "adjust":
            changes = _changes(data, target)
            after = [{**e, **changes} if e["member_id"] == target.id else e for e in after]
        else:
            after = [e for e in after if e["member_id"] != target.id]
    emerging = bool((committee.application or {}).get("emerging_field"))

    def report(members: list[dict]) -> list[dict]:
        checks = rules.composition_checks(
            members, profile, emerging_field=emerging,
            memberships=lambda m: registry.memberships_elsewhere(ctx.session, m, committee.code))
        return [c.as_dict() for c in checks]

    failing_before = {_key(c) for c in report(before) if not c["passed"]}
    checks = [c.as_dict() for c in extra] + report(after)
    allowed = SHORTFALL_ALLOWED.get(kind, set())
    blocking = [c for c in checks if not c["passed"] and _key(c) not in failing_before and _key(c) not in allowed]
    for check in checks:
        if not check["passed"]:
            check["blocking"] = check in blocking
    summary = {"kind": kind, "kind_title": KINDS[kind], "reason": reason,
               "member": {k: v for k, v in ((target and _entry(target)) or after[-1]).items() if k != "eligible"},
               **({"changes": changes} if changes else {})}
    return {"change_ok": not blocking, "change_summary": summary,
            "change_report": {"passed": not blocking, "profile": profile.name,
                              "voting_members_after": sum(1 for m in after if m["role"] in VOTING_ROLES),
                              "checks": checks, "violations": [c["message"] for c in blocking],
                              "existing_violations": [c["message"] for c in checks
                                                      if not c["passed"] and c not in blocking]},
            "target": target, "changes": changes}


@service("member_change_check")
def member_change_check(ctx: ServiceContext, data: dict) -> dict:
    """BR5/BR6 against the composition as the change would leave it; the gateway routes on ``change_ok``."""
    committee = committee_of(ctx, lock=False)
    plan = _plan(ctx, committee, data)
    record(ctx, "member_change_checked", {"committee": committee.code, "summary": plan["change_summary"],
                                          "passed": plan["change_ok"],
                                          "violations": plan["change_report"]["violations"]})
    return {k: plan[k] for k in ("change_ok", "change_summary", "change_report")}


@service("member_change_apply")
def member_change_apply(ctx: ServiceContext, data: dict) -> dict:
    """The approved change: registry row and grants in one step, with the approving actor and the reason."""
    committee = committee_of(ctx)
    plan = _plan(ctx, committee, data)
    if not plan["change_ok"]:
        violations = "；".join(plan["change_report"]["violations"])
        raise Conflict(f"委员组成在批准前已变化，变更不再符合组成规则：{violations}", rule="BR5")
    kind, summary, actor = data["change_kind"], plan["change_summary"], actor_name(ctx)
    why = f"{committee.code} 届中{KINDS[kind]}（{summary['reason']}；批准：{actor or '—'}）"
    target: CommitteeMember | None = plan["target"]
    if kind == "add":
        entry = {k: v for k, v in summary["member"].items() if k != "member_id"}
        target = CommitteeMember(committee_id=committee.id, term_number=committee.term_number, name=entry["name"],
                                 role=entry["role"], unit=entry["unit"],
                                 stakeholder_category=entry.get("stakeholder_category"), title=entry.get("title"),
                                 title_level=entry.get("title_level"), username=entry.get("username"), active=True,
                                 joined_at=clock.now())
        ctx.session.add(target)
        ctx.session.flush()
        appointments.appoint(ctx.session, committee, target, actor=actor, reason=f"{why}：聘任为{target.role}")
    elif kind == "adjust":
        for column, value in plan["changes"].items():
            setattr(target, column, value)
        if "role" in plan["changes"]:
            appointments.revoke_grants(ctx.session, target, actor=actor, reason=f"{why}：原职务结束")
            appointments.appoint(ctx.session, committee, target, actor=actor, reason=f"{why}：改任{target.role}")
    else:
        appointments.release(ctx.session, target, actor=actor, reason=why)
    ctx.session.flush()
    record(ctx, "committee_member_changed", {"committee": committee.code, **summary, "member_id": target.id,
                                             "approved_by": actor, "decision_reason": data.get("decision_reason")})
    return {"change_applied": True, "changed_member_id": target.id,
            "member_count": sum(1 for m in appointments.current(ctx.session, committee)
                                if m.role in VOTING_ROLES)}
