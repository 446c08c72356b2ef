"""Which processes the caller may start, and with which scopes: the start page's choices."""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.starts import StartOptionListSchema
from api.security.auth import authenticated, current_actor, engine
from engine.access import assignment, scopes
from engine.runtime import definitions

blp = Blueprint("starts", __name__, description="发起流程 · What I may start")


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
            items = []
            for d, roles, grants in definitions.startable(session, actor):
                prefills = []
                for prefill in (scope_prefill(g.scope) for g in grants):
                    if prefill not in prefills:
                        prefills.append(prefill)
                items.append({"key": d.key, "version": d.version, "name": d.name, "roles": roles,
                              "scopes": prefills})
            return {"items": items}
