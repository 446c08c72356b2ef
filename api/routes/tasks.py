"""The inbox and a task's life: claim, unclaim, assign, complete. Rules live in engine.access.assignment."""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.common import AssignRequest, CompleteRequest, TaskListArgs, TaskSchema, page_of
from api.security.auth import authenticated, current_actor, engine, require_writer
from api.views import page_payload, task_view
from engine.access import assignment, inbox
from engine.db.pages import paginate_capped

blp = Blueprint("tasks", __name__, description="待办任务 · Tasks")


@blp.route("/tasks")
class TasksResource(MethodView):
    @authenticated(blp)
    @blp.arguments(TaskListArgs, location="query")
    @blp.response(200, page_of(TaskSchema, capped=inbox.TOTAL_CAP))
    def get(self, args):
        """My inbox: tasks assigned to me and open tasks my roles may take in my scopes; auditors see all.

        Filters: process, instance, committee, specification, level, jurisdiction, duty, state, due
        before, overdue; sorted by due date (tasks without one last); paginated. The total is counted up to
        10,000 tasks: past that it says 10,000 with ``total_capped: true`` (auditors and nation-wide roles see
        pools of 100,000 and more; counting them all would cost more than the page itself)."""
        page, per_page = args.pop("page"), args.pop("per_page")
        with engine().db.transaction() as session:
            query = inbox.query(session, current_actor(), **args)
            items, total, capped = paginate_capped(session, query, page, per_page, inbox.TOTAL_CAP)
            return page_payload([task_view(t) for t in items], total, page, per_page, capped)


@blp.route("/tasks/<string:task_id>")
class TaskResource(MethodView):
    @authenticated(blp)
    @blp.response(200, TaskSchema)
    def get(self, task_id):
        """One task with its form schema (404 outside the caller's scopes)."""
        eng = engine()
        with eng.db.transaction() as session:
            return task_view(assignment.visible_task(session, current_actor(), task_id), eng.forms)


@blp.route("/tasks/<string:task_id>/claim")
class ClaimResource(MethodView):
    @authenticated(blp)
    @blp.response(200, TaskSchema)
    def post(self, task_id):
        """Take the task: its lane's role within the instance's scope, and the duty rules (BR3, BR4, BR7, BR11)."""
        actor = current_actor()
        require_writer(actor)
        eng = engine()
        with eng.db.transaction() as session:
            return task_view(eng.runtime.claim(session, actor, task_id), eng.forms)


@blp.route("/tasks/<string:task_id>/unclaim")
class UnclaimResource(MethodView):
    @authenticated(blp)
    @blp.response(200, TaskSchema)
    def post(self, task_id):
        """Give a claimed task back to the pool (its holder only)."""
        actor = current_actor()
        require_writer(actor)
        eng = engine()
        with eng.db.transaction() as session:
            return task_view(eng.runtime.unclaim(session, actor, task_id), eng.forms)


@blp.route("/tasks/<string:task_id>/assign")
class AssignResource(MethodView):
    @authenticated(blp)
    @blp.arguments(AssignRequest)
    @blp.response(200, TaskSchema)
    def post(self, body, task_id):
        """Reassign a task, with a reason, to a user who could claim it (secretariat or approving authority
        of the instance's scope); the reason is kept in the history."""
        actor = current_actor()
        require_writer(actor)
        eng = engine()
        with eng.db.transaction() as session:
            task = eng.runtime.assign(session, actor, task_id, body["assignee"], body["reason"])
            return task_view(task, eng.forms)


@blp.route("/tasks/<string:task_id>/complete")
class CompleteResource(MethodView):
    @authenticated(blp)
    @blp.arguments(CompleteRequest)
    @blp.response(200, TaskSchema)
    def post(self, body, task_id):
        """Complete with form data (validated against the task's JSON Schema); the role, scope and duty rules
        are checked again now, so a grant revoked since the claim stops it."""
        actor = current_actor()
        require_writer(actor)
        eng = engine()
        with eng.db.transaction() as session:
            return task_view(eng.runtime.complete(session, actor, task_id, body["data"]), eng.forms)
