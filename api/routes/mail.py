"""E-mail: each user sets what they receive; process admins watch the outbox (what waits, what failed, why)."""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.mail import OutboxArgs, OutboxPageSchema, PreferencesRequest, PreferencesSchema
from api.security.auth import authenticated, current_actor, engine
from engine.db.pages import paginate
from engine.mail import outbox, preferences

blp = Blueprint("mail", __name__, description="邮件提醒 · E-mail notifications")


def _view(prefs: dict) -> dict:
    return {**prefs, "available": [{"kind": k, "label": label} for k, label in preferences.KINDS.items()],
            "mail_enabled": engine().settings.mail.configured}


@blp.route("/me/notification-preferences")
class PreferencesResource(MethodView):
    @authenticated(blp)
    @blp.response(200, PreferencesSchema)
    def get(self):
        """My e-mail preferences: the address, the kinds I receive, immediate or a daily digest."""
        with engine().db.transaction() as session:
            return _view(preferences.get(session, current_actor().username))

    @authenticated(blp)
    @blp.arguments(PreferencesRequest)
    @blp.response(200, PreferencesSchema)
    def put(self, body):
        """Replace my e-mail preferences (an empty address stops e-mail)."""
        with engine().db.transaction() as session:
            return _view(preferences.put(session, current_actor().username, body["address"], body["kinds"],
                                         body["digest"]))


@blp.route("/mail/outbox")
class OutboxResource(MethodView):
    @authenticated(blp, "process_admin")
    @blp.arguments(OutboxArgs, location="query")
    @blp.response(200, OutboxPageSchema)
    def get(self, args):
        """The outbox, newest first: pending mails (with attempts and the last SMTP error), sent and failed."""
        with engine().db.transaction() as session:
            items, total = paginate(session, outbox.listing(args["state"]), args["page"], args["per_page"])
            return {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"],
                    "counts": outbox.counts(session), "mail_enabled": engine().settings.mail.configured}
