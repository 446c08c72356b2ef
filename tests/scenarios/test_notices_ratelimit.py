"""Public comments are rate-limited per client address; the limit answers 429 problem+json."""
from api.security import ratelimit
from tests.scenarios.notice_support import PROBLEM, comment, public, start


def test_comment_limit_answers_429_problem(admin, login, app):
    app.config[ratelimit.COMMENT_LIMIT_KEY] = "3 per minute"
    admin.deploy("notice_window.bpmn")
    notice_id = start(login("sec", "secretariat"))["data"]["notice_id"]
    client = public(app)
    for _ in range(3):
        assert comment(client, notice_id).status_code == 201
    refused = comment(client, notice_id)
    assert refused.status_code == 429 and refused.content_type == PROBLEM
    problem = refused.get_json()
    assert (problem["status"], problem["rule"]) == (429, "rate-limit")
    assert "3 per 1 minute" in problem["detail"]
    assert int(refused.headers["Retry-After"]) > 0
    assert comment(public(app), notice_id).status_code == 429  # a new client from the same address
    elsewhere = public(app).post(f"/api/v1/notices/{notice_id}/comments", environ_base={"REMOTE_ADDR": "10.0.0.7"},
                           json={"author": "赵六", "text": "另一地址的意见"})
    assert elsewhere.status_code == 201
    assert public(app).get(f"/api/v1/notices/{notice_id}").get_json()["comment_count"] == 4
    assert public(app).get("/api/v1/notices").status_code == 200  # reading is not limited by comments


def test_default_limit_is_generous_and_configurable(app):
    assert app.config[ratelimit.COMMENT_LIMIT_KEY] == ratelimit.DEFAULT_COMMENT_LIMIT
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
