"""The caller's reminders, overdue warnings and escalation notices."""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.timers import MarkedSchema, NotificationArgs, NotificationPageSchema, NotificationSchema
from api.security.auth import authenticated, current_actor, engine
from engine.db.pages import paginate
from engine.runtime import notifications

blp = Blueprint("notifications", __name__, description="提醒 · Notifications")


@blp.route("/notifications")
class NotificationsResource(MethodView):
    @authenticated(blp)
    @blp.arguments(NotificationArgs, location="query")
    @blp.response(200, NotificationPageSchema)
    def get(self, args):
        """My notifications, newest first; ``unread`` counts the ones I have not marked read."""
        me = current_actor().username
        with engine().db.transaction() as session:
            query = notifications.for_user(session, me, args["unread"])
            items, total = paginate(session, query, args["page"], args["per_page"])
            return {"items": items, "total": total, "page": args["page"],
                    "per_page": args["per_page"], "unread": notifications.unread_count(session, me)}


@blp.route("/notifications/<int:notification_id>/read")
class ReadResource(MethodView):
    @authenticated(blp)
    @blp.response(200, NotificationSchema)
    def post(self, notification_id):
        """Mark one of my notifications read."""
        with engine().db.transaction() as session:
            return notifications.mark_read(session, current_actor().username, notification_id)


@blp.route("/notifications/read-all")
class ReadAllResource(MethodView):
    @authenticated(blp)
    @blp.response(200, MarkedSchema)
    def post(self):
        """Mark all my notifications read."""
        with engine().db.transaction() as session:
            return {"marked": notifications.mark_all_read(session, current_actor().username)}
