"""Flask application factory: one engine per app, blueprints under /api/v1."""
from __future__ import annotations

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from api import compression, converters, web
from api.problems import ProblemApi, register_engine_errors
from api.routes import (
    assessment,
    auth,
    calendar,
    committees,
    conflicts,
    definitions,
    documents,
    filings,
    history,
    incidents,
    instances,
    mail,
    migrations,
    notices,
    notifications,
    operations,
    plans,
    publication,
    reports,
    reviewers,
    schedules,
    specifications,
    starts,
    tasks,
    timers,
    users,
)
from api.security import headers as security_headers
from api.security import ratelimit, sessions
from engine.config import Settings
from engine.workflow_engine import WorkflowEngine

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, engine: WorkflowEngine | None = None) -> Flask:
    settings = settings or (engine.settings if engine else Settings.from_env())
    app = Flask(__name__)
    app.config.update(
        API_TITLE="mtcflow",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=API_PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=web.vendor.swagger_ui_url(),
        OPENAPI_REDOC_PATH="redoc",
        MAX_CONTENT_LENGTH=settings.max_bytes + 256 * 1024,
        JSON_AS_ASCII=False,
        MTCFLOW_JSON_MAX_DEPTH=settings.json_max_depth,
        SECRET_KEY=settings.secret_key or "embedded-demo-only",
    )
    app.json.ensure_ascii = False
    sessions.init_app(app, settings.secure_cookies)
    app.extensions["mtcflow"] = engine or WorkflowEngine(settings)

    converters.init_app(app)
    api = ProblemApi(app, spec_kwargs={
        "info": {"description": "BPMN engine for metrology technical committees (计量技术委员会) and their "
                                "specifications: definitions, instances, tasks, history."},
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    })
    for module in (auth, definitions, instances, tasks, history, users, conflicts, timers, notifications, schedules,
                   notices, documents, committees, specifications, reports, incidents, operations, starts, plans,
                   filings, assessment, publication, migrations,
                   reviewers, calendar, mail):
        api.register_blueprint(module.blp, url_prefix=API_PREFIX)
    ratelimit.init_app(app)
    register_engine_errors(app)
    if settings.trusted_proxies:  # client address (rate limits, logs) and https (HSTS) as the proxy saw them
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    security_headers.init_app(app, docs_paths=(f"{API_PREFIX}/docs", f"{API_PREFIX}/redoc"))
    web.init_app(app)
    compression.init_app(app)
    if settings.sso_enabled:  # Authlib is the [sso] extra: imported only where single sign-on is configured
        from api.web import sso
        sso.init_app(app, settings)

    @app.get("/healthz")
    def health():
        return {"status": "ok"}

    logging.getLogger("mtcflow").setLevel(logging.INFO)
    return app
