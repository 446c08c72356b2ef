"""Which processes the caller may start, and with which scopes: the start page's choices."""
from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import func, select

from api.blueprint import Blueprint
from api.security.auth import authenticated, current_actor, engine
from engine.access import assignment, scopes
from engine.runtime.models import Definition

blp = Blueprint("starts", __name__, description="发起流程 · What I may start")


class StartScopeSchema(Schema):
    committee = fields.String(allow_none=True)
    specification = fields.String(allow_none=True)
    level = fields.String(allow_none=True)
    jurisdiction = fields.String(allow_none=True)


class StartOptionSchema(Schema):
    key = fields.String()
    version = fields.Integer()
    name = fields.String(allow_none=True)
    roles = fields.List(fields.String(), metadata={"description": "roles of the start event's lane (none: any)"})
    scopes = fields.List(fields.Nested(StartScopeSchema), metadata={
        "description": "the scopes of my grants that may start it, to prefill the form ({} = any)"})


class StartOptionListSchema(Schema):
    items = fields.List(fields.Nested(StartOptionSchema))


def scope_prefill(scope_text: str | None) -> dict:
    """A grant's scope as the fields of a new instance's scope."""
    scope = scopes.parse(scope_text)
    if scope is None:
        return {}
    if scope.kind == "committee":
        return {"committee": scope.value}
    if scope.kind == "spec":
        return {"specification": scope.value}
    return {"level": scope.value, "jurisdiction": scope.jurisdiction}


@blp.route("/start-options")
class StartOptionsResource(MethodView):
    @authenticated(blp)
    @blp.response(200, StartOptionListSchema)
    def get(self):
        """The latest version of each process whose start lane's role I hold (the scope is checked on start)."""
        with engine().db.transaction() as session:
            actor = assignment.current(session, current_actor())
            latest = select(Definition.key, func.max(Definition.version).label("v")).group_by(Definition.key).subquery()
            definitions = session.scalars(select(Definition).join(
                latest, (Definition.key == latest.c.key) & (Definition.version == latest.c.v)).order_by(Definition.key))
            items = []
            for d in definitions:
                roles = d.meta.get("processes", {}).get(d.key, {}).get("start_roles") or []
                grants = [g for g in actor.business_grants if not roles or g.role in roles]
                if grants:
                    prefills = []
                    for prefill in (scope_prefill(g.scope) for g in grants):
                        if prefill not in prefills:
                            prefills.append(prefill)
                    items.append({"key": d.key, "version": d.version, "name": d.name, "roles": roles,
                                  "scopes": prefills})
            return {"items": items}
