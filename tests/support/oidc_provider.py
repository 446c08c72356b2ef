"""A real OpenID Connect provider on loopback for the tests, built from Authlib's server components: discovery,
JWKS, a sign-in page, the authorization-code grant with PKCE (S256) and nonces both required, RS256 ID tokens.
Its users are the test's: a username and the claims it gets. ``requests`` keeps each authorization request's
parameters, so a test can see what the client sent."""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify, render_template_string, request
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

CLIENT_ID, CLIENT_SECRET = "mtcflow", "client-secret-for-tests"

SIGN_IN = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>单位统一身份认证</title>
<h1>单位统一身份认证</h1><form method="post"><label>账号 <input name="username"></label>
<button type="submit">登录</button></form></html>"""


@dataclass
class Client(ClientMixin):
    redirect_uris: list[str] = field(default_factory=list)  # empty: any (the app's port is chosen per test)

    def get_client_id(self):
        return CLIENT_ID

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        return scope

    def check_redirect_uri(self, redirect_uri):
        return not self.redirect_uris or redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, CLIENT_SECRET)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    user: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class Provider:
    def __init__(self, users: dict[str, dict]):
        self.users = users  # username -> claims
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.codes: dict[str, Code] = {}
        self.requests: list[dict] = []
        self.app = self._build()

    def _build(self) -> Flask:
        app = Flask(__name__)
        provider = self
        server = AuthorizationServer(app, query_client=lambda cid: Client() if cid == CLIENT_ID else None,
                                     save_token=lambda token, req: None)

        class CodeGrant(grants.AuthorizationCodeGrant):
            def save_authorization_code(self, code, req):
                provider.codes[code] = Code(code, req.user, req.payload.redirect_uri, req.payload.scope,
                                            req.payload.data.get("nonce"), req.payload.data.get("code_challenge"),
                                            req.payload.data.get("code_challenge_method"))

            def query_authorization_code(self, code, client):
                return provider.codes.get(code)

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.user

        class IdToken(OpenIDCode):
            def exists_nonce(self, nonce, req):
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client):
                return provider.key

            def get_client_algorithm(self, client):
                return "RS256"

            def get_client_claims(self, client):
                return {"iss": provider.issuer, "aud": [CLIENT_ID], "exp": int(time.time()) + 300}

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": "test-key"}

            def generate_user_info(self, user, scope):
                return {"sub": f"sub-{user}", **provider.users[user]}

        server.register_grant(CodeGrant, [IdToken(require_nonce=True), CodeChallenge(required=True)])

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(issuer=provider.issuer, authorization_endpoint=f"{provider.issuer}/authorize",
                           token_endpoint=f"{provider.issuer}/token", jwks_uri=f"{provider.issuer}/jwks",
                           response_types_supported=["code"], subject_types_supported=["public"],
                           id_token_signing_alg_values_supported=["RS256"], code_challenge_methods_supported=["S256"])

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[provider.key.as_dict(private=False)])

        @app.route("/authorize", methods=["GET", "POST"])
        def authorize():
            provider.requests.append(dict(request.args))
            if request.method == "GET":
                return render_template_string(SIGN_IN)
            username = request.form["username"]
            if username not in provider.users:
                return render_template_string(SIGN_IN), 401
            return server.create_authorization_response(grant=server.get_consent_grant(end_user=username),
                                                        grant_user=username)

        @app.post("/token")
        def token():
            return server.create_token_response()

        return app

    def __enter__(self) -> Provider:
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(5)
        self.server.server_close()
