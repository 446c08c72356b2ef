"""The OpenID Connect client (Authorization Code with PKCE S256 and a nonce) by Authlib's Flask integration.
Imported only when MTCFLOW_OIDC_ISSUER is set, so the embedded default runs without the [sso] extra."""
from __future__ import annotations

from dataclasses import dataclass

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError
from requests import RequestException

from engine.access.external_identity import Claims, GroupMap
from engine.config import Settings

EXTENSION = "mtcflow_sso"
TIMEOUT_SECONDS = 10  # a provider that does not answer within this is treated as down


class ProviderUnavailable(Exception):
    """The identity provider could not be reached or answered with an HTTP error."""


class Refused(Exception):
    """The provider's answer failed verification (state, nonce, signature, PKCE) or reported an error."""


@dataclass(frozen=True)
class Sso:
    client: object  # Authlib's FlaskOAuth2App
    issuer: str
    user_claim: str
    groups_claim: str
    group_map: GroupMap | None


def init_app(app: Flask, settings: Settings) -> None:
    oauth = OAuth(app)
    client = oauth.register(
        "idp", client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret,
        server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256",
                       "default_timeout": TIMEOUT_SECONDS})
    group_map = GroupMap.load(settings.oidc_group_map) if settings.oidc_group_map else None
    app.extensions[EXTENSION] = Sso(client, settings.oidc_issuer, settings.oidc_user_claim,
                                    settings.oidc_groups_claim, group_map)


def configured() -> Sso | None:
    return current_app.extensions.get(EXTENSION)


def authorize_redirect(redirect_uri: str):
    """The redirect to the provider; state, nonce and PKCE verifier wait in the session cookie."""
    try:
        return configured().client.authorize_redirect(redirect_uri)
    except RequestException as err:
        raise ProviderUnavailable(str(err)) from err


def verified_claims() -> Claims:
    """The ID token's claims after Authlib checked state, code verifier, signature, issuer, audience and nonce;
    the userinfo endpoint's added where the token lacks the claims we match and map by."""
    sso = configured()
    try:
        token = sso.client.authorize_access_token()
        values = dict(token.get("userinfo") or {})
        missing = values.get(sso.user_claim) is None or values.get(sso.groups_claim) is None
        if missing and sso.client.load_server_metadata().get("userinfo_endpoint"):
            extra = sso.client.userinfo(token=token)
            if extra.get("sub") == values.get("sub"):
                values = {**extra, **values}
    except RequestException as err:
        raise ProviderUnavailable(str(err)) from err
    except (AuthlibBaseError, JoseError) as err:
        raise Refused(str(err)) from err
    if "sub" not in values:
        raise Refused("the provider returned no ID token")
    return Claims(sso.issuer, values, sso.user_claim, sso.groups_claim)
