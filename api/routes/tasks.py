"""The inbox and a task's life: claim, unclaim, assign, complete."""
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import or_, select

from api.auth import authenticated, current_actor, engine, require_writer
from api.schemas import AssignRequest, CompleteRequest, TaskListArgs, TaskSchema, page_of
from api.views import page_payload, paginate, task_view
from engine import assignment, clock
from engine.errors import NotFound
from engine.models import Task

blp = Blueprint("tasks", __name__, description="待办任务 · Tasks")
OPEN = ("ready", "claimed")


@blp.route("/tasks")
class TasksResource(MethodView):
    @authenticated(blp)
    @blp.arguments(TaskListArgs, location="query")
    @blp.response(200, page_of(TaskSchema))
    def get(self, args):
        """My inbox: tasks assigned to me and open tasks my roles may take; auditors see all."""
        actor = current_actor()
        query = select(Task)
        state = args.get("state", "open")
        query = query.where(Task.state.in_(OPEN) if state == "open" else Task.state == state)
        mine = Task.assignee == actor.username
        claimable = (Task.assignee.is_(None)) & assignment.grant_filter(actor, Task)
        if args["mine"] and args["claimable"]:
            query = query.where(or_(mine, claimable))
        elif args["mine"]:
            query = query.where(mine)
        elif args["claimable"]:
            query = query.where(claimable)
        elif not actor.has_role("auditor"):
            query = query.where(or_(mine, assignment.grant_filter(actor, Task)))
        for name in ("process_key", "instance_id", "committee", "specification"):
            if args.get(name):
                query = query.where(getattr(Task, name) == args[name])
        if args.get("due_before"):
            query = query.where(Task.due_at < args["due_before"])
        if args.get("overdue"):
            query = query.where(Task.due_at < clock.now(), Task.state.in_(OPEN))
        query = query.order_by(Task.due_at.is_(None), Task.due_at, Task.created_at, Task.id)
        with engine().db.transaction() as session:
            items, total = paginate(session, query, args["page"], args["per_page"])
            return page_payload([task_view(t) for t in items], total, args["page"], args["per_page"])


def _get_task(session, task_id: str) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"No task with id '{task_id}'.")
    return task


@blp.route("/tasks/<string:task_id>")
class TaskResource(MethodView):
    @authenticated(blp)
    @blp.response(200, TaskSchema)
    def get(self, task_id):
        """One task with its form schema."""
        eng = engine()
        with eng.db.transaction() as session:
            return task_view(_get_task(session, task_id), eng.forms)


@blp.route("/tasks/<string:task_id>/claim")
class ClaimResource(MethodView):
    @authenticated(blp)
    @blp.response(200, TaskSchema)
    def post(self, task_id):
        """Take the task; only users holding its lane's role."""
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
        """Give a claimed task back to the pool."""
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
        """Reassign a task to a user who holds its role, with a reason (secretariat or authority)."""
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
        """Complete with form data (validated against the task's JSON Schema); the instance moves on."""
        actor = current_actor()
        require_writer(actor)
        eng = engine()
        with eng.db.transaction() as session:
            return task_view(eng.runtime.complete(session, actor, task_id, body["data"]), eng.forms)
