"""Migrating running instances to another version of their process: plan (a dry run) and execute; process admins."""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.incidents import MigrationPlanRequest, MigrationPlanSchema, MigrationRequest
from api.security.auth import authenticated, current_actor, engine, require_writer
from engine.runtime import migration

blp = Blueprint("migrations", __name__, description="版本迁移 · Instance migration")


@blp.route("/definitions/<string:key>/migrations/plan")
class MigrationPlanResource(MethodView):
    @authenticated(blp, "process_admin")
    @blp.arguments(MigrationPlanRequest)
    @blp.response(200, MigrationPlanSchema)
    def post(self, body, key):
        """Dry run: which instances would move, which elements change, which are refused and why; changes nothing."""
        eng = engine()
        with eng.db.transaction() as session:
            planned = migration.plan(eng.runtime, session, current_actor(), key, body["from_version"],
                                     body["to_version"], body["mappings"], body.get("instance_ids"))
            return {**planned, "dry_run": True, "migrated": [], "failed": []}


@blp.route("/definitions/<string:key>/migrations")
class MigrationResource(MethodView):
    @authenticated(blp, "process_admin")
    @blp.arguments(MigrationRequest)
    @blp.response(200, MigrationPlanSchema)
    def post(self, body, key):
        """Migrate every migratable instance, each in its own transaction with a history event; refused ones stay."""
        actor = current_actor()
        require_writer(actor)
        eng = engine()
        return migration.execute(eng.db, eng.runtime, actor, key, body["from_version"], body["to_version"],
                                 body["mappings"], body["reason"], body.get("instance_ids"))
