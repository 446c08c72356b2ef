"""Page routes. Each renders a shell; the page's script reads and writes through /api/v1 like any client.
Only login and logout touch the engine here: they exchange a password for an ordinary access token."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError

from api.security import ratelimit, sessions
from api.security.login import log_in
from engine.access import accounts as users
from engine.access.actors import ROLES
from engine.committees import models as committee_models
from engine.errors import TooManyRequests, Unauthorized
from engine.notices import documents
from engine.specifications import models as spec_models

bp = Blueprint("web", __name__, template_folder="../templates", static_folder="../static",
               static_url_path="/static")


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not sessions.current_token():
            return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapper


def viewer_roles() -> frozenset[str]:
    """The signed-in user's roles (any scope), read once per request: pages show links only to those who can use
    them (the API decides again on every call)."""
    if "viewer_roles" not in g:
        roles: frozenset[str] = frozenset()
        token = sessions.current_token()
        if token:
            try:
                with current_app.extensions["mtcflow"].db.transaction() as session:
                    roles = frozenset(users.actor_for_token(session, token).roles)
            except Unauthorized:
                pass
        g.viewer_roles = roles
    return g.viewer_roles


@bp.app_context_processor
def _roles_in_templates():
    return {"viewer_roles": viewer_roles}


def safe_next(target: str | None) -> str:
    """Only a path on this site after login. Browsers drop tabs and newlines from URLs and read a backslash as
    a slash, so ``/%09/evil.example`` became ``//evil.example`` (another host); a newline broke the header (500).
    Any control character, space or backslash therefore refuses the target, before the ``//`` test."""
    ok = (target and target.startswith("/") and not target.startswith("//")
          and not any(c <= " " or c in "\\\x7f" for c in target))
    return target if ok else url_for("web.inbox")


@bp.route("/login", methods=["GET", "POST"])
@ratelimit.limiter.limit(ratelimit.login_limit, scope="login", methods=["POST"])
def login():
    error = None
    if request.method == "POST":
        try:
            sessions.csrf.protect()
            token, _ = log_in(current_app.extensions["mtcflow"], request.form.get("username", ""),
                                    request.form.get("password", ""))
            sessions.start(token)
            return redirect(safe_next(request.args.get("next")))
        except Unauthorized:
            error = "login.failed"
        except TooManyRequests:
            error = "login.locked"
        except CSRFError:
            error = "login.expired"
    status = {None: 200, "login.locked": 429}.get(error, 401)
    return render_template("login.html", error=error, sso="mtcflow_sso" in current_app.extensions), status


@bp.post("/logout")
def logout():
    sessions.csrf.protect()
    token = sessions.end()
    if token:
        with current_app.extensions["mtcflow"].db.transaction() as session:
            users.revoke_token(session, token)
    return redirect(url_for("web.notice_board"))


@bp.get("/")
def home():
    return redirect(url_for("web.inbox") if sessions.current_token() else url_for("web.notice_board"))


@bp.get("/inbox")
@login_required
def inbox():
    return render_template("inbox.html")


@bp.get("/start")
@login_required
def start():
    return render_template("start.html")


@bp.get("/notifications")
@login_required
def notifications():
    return render_template("notifications.html")


@bp.get("/tasks/<task_id>")
@login_required
def task(task_id: str):
    return render_template("task.html", task_id=task_id, uploads=_upload_limits())


def _upload_limits() -> dict:
    """What a file field accepts, shown at the field and checked in the browser before the server refuses it."""
    policy = documents.DocumentPolicy.from_settings(current_app.extensions["mtcflow"].settings)
    extensions = sorted({ext for kind in policy.types for ext in documents.TYPES.get(kind, ((), None))[0]})
    return {"max_bytes": policy.max_bytes, "accept": ",".join(extensions),
            "types": "、".join(ext.lstrip(".").upper() for ext in extensions)}


@bp.get("/admin/definitions")
@login_required
def definitions():
    return render_template("definitions.html")


@bp.get("/admin/definitions/<key>")
@login_required
def definition(key: str):
    return render_template("definition.html", key=key)


@bp.get("/admin/modeler")
@login_required
def modeler():
    return render_template("modeler.html", key=request.args.get("key", ""), version=request.args.get("version", ""),
                           roles=ROLES)


@bp.get("/instances")
@login_required
def instances():
    return render_template("instances.html")


@bp.get("/instances/<instance_id>")
@login_required
def instance(instance_id: str):
    return render_template("instance.html", instance_id=instance_id)


@bp.get("/admin/incidents")
@login_required
def incidents():
    return render_template("incidents.html")


@bp.get("/admin/holidays")
@login_required
def holidays():
    return render_template("holidays.html")


@bp.get("/admin/users")
@login_required
def users_admin():
    return render_template("users.html", roles=ROLES)


@bp.get("/dashboard")
@login_required
def dashboard():
    return render_template("dashboard.html", committee_statuses=committee_models.STATUSES, stages=spec_models.STAGES)


@bp.get("/registry/committees")
def committees():
    return render_template("registry.html", view="committees", statuses=committee_models.STATUSES)


@bp.get("/registry/committees/<path:code>")
def committee(code: str):
    return render_template("registry.html", view="committee", key=code)


@bp.get("/registry/specifications")
def specifications():
    return render_template("registry.html", view="specifications", stages=spec_models.STAGES)


@bp.get("/registry/specifications/<spec_id>")
def specification(spec_id: str):
    return render_template("registry.html", view="specification", key=spec_id, stages=spec_models.STAGES)


@bp.get("/notices")
def notice_board():
    return render_template("notices.html")


@bp.get("/notices/<int:notice_id>")
def notice(notice_id: int):
    return render_template("notice.html", notice_id=notice_id)
