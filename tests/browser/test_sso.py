"""Single sign-on in Chromium against a real OpenID provider on loopback (tests/support/oidc_provider.py): the
account is provisioned, grants come from the group map, the user lands on the inbox; a tampered state or nonce
is refused; with the provider down a Chinese error page says so and local login still works."""
from __future__ import annotations

import dataclasses
import json
import socket
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from playwright.sync_api import expect

from engine.access import accounts
from tests.browser.conftest import sign_in
from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
USERS = {"zhangsan": {"preferred_username": "zhangsan", "name": "张三", "groups": ["mtc12-secretariat", "staff"]}}
GROUP_MAP = {"mtc12-secretariat": ["secretariat:committee/MTC-12", "member:committee/MTC-12"],
             "auditors": ["auditor"]}


@pytest.fixture
def idp():
    with Provider(USERS) as provider:
        yield provider


def _sso_app(engine, issuer: str, tmp_path):
    from api.app import create_app

    group_map = tmp_path / "groups.json"
    group_map.write_text(json.dumps(GROUP_MAP, ensure_ascii=False), "utf-8")
    settings = dataclasses.replace(engine.settings, oidc_issuer=issuer, oidc_client_id=CLIENT_ID,
                                   oidc_client_secret=CLIENT_SECRET, oidc_group_map=group_map)
    application = create_app(settings, engine)
    application.config["TESTING"] = True
    application.config["MTCFLOW_LOGIN_LIMIT"] = "10000 per minute"
    return application


@pytest.fixture
def app(request, engine, tmp_path):
    """Configured for the provider of the test (``idp``), or, for outage tests, for a port nobody listens on."""
    if "idp" in request.fixturenames:
        return _sso_app(engine, request.getfixturevalue("idp").issuer, tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return _sso_app(engine, f"http://127.0.0.1:{port}", tmp_path)


def _with_params(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query)) | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def _sign_in_at_provider(page, username: str = "zhangsan") -> None:
    page.goto("/inbox")
    page.get_by_role("link", name="使用单位统一身份认证登录").click()
    expect(page.get_by_role("heading", name="单位统一身份认证")).to_be_visible()
    page.fill("input[name=username]", username)
    page.get_by_role("button", name="登录").click()


def test_sign_in_provisions_the_account_with_mapped_grants(page, engine, idp):
    _sign_in_at_provider(page)
    page.wait_for_url("**/inbox")
    expect(page.locator("h1")).to_have_text("我的待办")
    sent = idp.requests[-1]
    assert sent["code_challenge_method"] == "S256" and sent["code_challenge"] and sent["nonce"]
    with engine.db.transaction() as session:
        user = accounts.get_user(session, "zhangsan")
        assert user.display_name == "张三"
        assert {str(g) for g in accounts.grants_of(session, user)} == {
            "secretariat:committee/MTC-12", "member:committee/MTC-12"}
    page.shot("signed-in")


def test_tampered_state_is_refused(page, engine, idp):
    page.route(f"{idp.issuer}/authorize?*", lambda route: route.continue_(
        url=_with_params(route.request.url, state="forged-state")))
    _sign_in_at_provider(page)
    expect(page.locator("#sso-error")).to_have_attribute("data-kind", "refused")
    expect(page.locator("h1")).to_have_text("统一身份认证登录未能完成")
    page.goto("/inbox")  # not signed in: the login page
    expect(page.locator("h1")).to_have_text("用户登录")
    with engine.db.transaction() as session, pytest.raises(Exception, match="No user"):
        accounts.get_user(session, "zhangsan")


def test_tampered_nonce_is_refused(page, engine, idp):
    page.route(f"{idp.issuer}/authorize?*", lambda route: route.continue_(
        url=_with_params(route.request.url, nonce="forged-nonce")))
    _sign_in_at_provider(page)
    expect(page.locator("#sso-error")).to_have_attribute("data-kind", "refused")
    assert idp.requests[-1]["nonce"] == "forged-nonce"  # the provider signed the forged nonce; mtcflow refused it


def test_provider_down_mid_login_shows_the_outage_page(page, idp):
    def provider_dies(route):
        """The code is issued, then the provider goes away before mtcflow redeems it."""
        if route.request.method != "POST":
            return route.continue_()
        issued = route.fetch(max_redirects=0)
        idp.__exit__(None, None, None)
        route.fulfill(response=issued)

    page.route(f"{idp.issuer}/authorize?*", provider_dies)
    _sign_in_at_provider(page)
    expect(page.locator("#sso-error")).to_have_attribute("data-kind", "unavailable")


def test_provider_outage_leaves_local_login_working(page, engine):
    page.goto("/login")
    page.get_by_role("link", name="使用单位统一身份认证登录").click()
    expect(page.locator("h1")).to_have_text("统一身份认证暂时无法访问")
    expect(page.get_by_role("alert")).to_contain_text("您也可以使用本系统的用户名和密码登录")
    page.shot("outage")
    page.get_by_role("link", name="使用用户名和密码登录").click()
    sign_in(page, engine, "lisi", "member:committee/MTC-12")
    page.wait_for_url("**/inbox")
    expect(page.locator("h1")).to_have_text("我的待办")
