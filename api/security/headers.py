"""Security response headers on every response, with the maintained ``secure`` package.

One Content-Security-Policy serves the JSON API and our own future pages (same-origin scripts only, no
framing, no plugins); the interactive API docs load Swagger UI / ReDoc from their CDN with inline boot
scripts, so those two pages get a policy that allows exactly that. HSTS is sent only on requests that
arrived over TLS (directly or via a proxy that werkzeug's ProxyFix trusts): over plain HTTP it is
meaningless and would pin a development host. ``MTCFLOW_CSP`` replaces the default policy.
"""
from __future__ import annotations

import os

import secure
from flask import Flask, request

CSP_ENV = "MTCFLOW_CSP"
DOCS_CDN = "https://cdn.jsdelivr.net"
HSTS_SECONDS = 31_536_000


def _policy() -> secure.ContentSecurityPolicy:
    return (secure.ContentSecurityPolicy().default_src("'self'").script_src("'self'")
            .style_src("'self'", "'unsafe-inline'").img_src("'self'", "data:").font_src("'self'")
            .connect_src("'self'").object_src("'none'").base_uri("'self'").form_action("'self'")
            .frame_ancestors("'none'"))


def _docs_policy() -> secure.ContentSecurityPolicy:
    return (secure.ContentSecurityPolicy().default_src("'self'").script_src("'self'", "'unsafe-inline'", DOCS_CDN)
            .style_src("'self'", "'unsafe-inline'", DOCS_CDN).img_src("'self'", "data:", DOCS_CDN)
            .font_src("'self'", DOCS_CDN).worker_src("'self'", "blob:").connect_src("'self'")
            .object_src("'none'").base_uri("'self'").frame_ancestors("'none'"))


def _headers(csp: secure.ContentSecurityPolicy, hsts: bool) -> secure.Secure:
    return secure.Secure(
        csp=csp,
        xcto=secure.XContentTypeOptions(),
        xfo=secure.XFrameOptions().deny(),
        referrer=secure.ReferrerPolicy().no_referrer(),
        hsts=secure.StrictTransportSecurity().max_age(HSTS_SECONDS).include_subdomains() if hsts else None,
    )


def init_app(app: Flask, docs_paths: tuple[str, ...]) -> None:
    custom = os.environ.get(CSP_ENV)
    page = secure.ContentSecurityPolicy().set(custom) if custom else _policy()
    variants = {(docs, tls): _headers(_docs_policy() if docs else page, tls)
                for docs in (False, True) for tls in (False, True)}

    @app.after_request
    def _secure(response):
        variants[(request.path in docs_paths, request.is_secure)].set_headers(response)
        return response
