"""Helpers of the notice and document scenarios: an anonymous client (the public), starting with a scope."""
PROBLEM = "application/problem+json"
VARIABLES = {"notice_kind": "comment_draft", "notice_subject": "JJF 1001—2026《通用计量术语及定义》征求意见稿",
             "notice_window": "comment_window", "notice_ref": "JJF-2026-001"}


def public(app):
    """Someone without an account."""
    return app.test_client()


def start(caller, process_key="notice_window", variables=None, scope=None):
    response = caller.post("/instances", json={"process_key": process_key,
                                               "variables": VARIABLES if variables is None else variables,
                                               **({"scope": scope} if scope else {})})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def comment(client, notice_id, **fields):
    body = {"author": "张三", "unit": "某省计量测试研究院", "text": "第3.2条定义建议与 JJF 1001 保持一致。", **fields}
    return client.post(f"/api/v1/notices/{notice_id}/comments", json=body)
