"""Full-text disclosure (62号 十三) over HTTP: once its approval announcement is out, a published specification's
approved text is public without login — found by number, title, field and text, downloaded with its sha256, with
its adoption degree and status history — while a confidential one stays private; the proposal records the
adoption degree and the seed's further specification types."""
import hashlib

import pytest

from tests.scenarios.spec_stories import p6_to_decision
from tests.scenarios.spec_support import PROPOSAL, World, deploy, seed_committee, seed_spec, spec_scope

PASSED = {"review": {"quorum_met": True, "passed": True, "cast": 8, "yes": 8, "voting_members": 8},
          "review_passed": True, "minutes": "审定会议纪要"}
TEXT = "电子天平校准规范 正文：1 范围 本规范适用于实际分度值不小于 0.1 mg 的电子天平的校准。".encode()


@pytest.fixture
def w(engine, app, clock):
    deploy(engine, "p10_approval_submission.bpmn", "p6_project_approval.bpmn")
    seed_committee(engine)
    return World(engine, app.test_client(), clock)


def publish(w, spec_id: str, body: bytes, **fields) -> None:
    seed_spec(w.engine, spec_id, stage="review", **{**PASSED, **fields})
    w.grant("drafter", f"drafter:spec/{spec_id}")
    iid = w.start("drafter", "approval_submission", scope=spec_scope(spec_id))["id"]
    draft = w.upload("drafter", iid, "p10_task_package", "approved.txt", body)
    w.do("drafter", iid, "p10_task_package", {"submission_draft_document_id": draft})
    w.do("sec", iid, "p10_task_check", {"package_complete": True})
    w.do("authority", iid, "p10_task_decide", {"approval_decision": "approve", "publication_date": "2026-05-20",
                                               "approval_opinion": "批准发布"})


def test_published_text_is_public_with_sha256_and_a_confidential_one_is_not(w):
    publish(w, "JJF-2026-101", TEXT, title="电子天平校准规范", field="质量", adoption_degree="MOD",
            adopted_document="OIML R 76-1:2006")
    publish(w, "JJF-2026-102", "保密规范正文".encode(), title="某保密计量器具校准规范", confidential=True)
    public = w.client
    found = public.get("/api/v1/public/specifications", query_string={"text": "分度值"}).get_json()
    assert [s["id"] for s in found["items"]] == ["JJF-2026-101"]
    for query in ({"field": "质量"}, {"title": "电子天平"}, {"q": "JJF 1001"}, {"number": "JJF 1001—2026"}):
        assert [s["id"] for s in public.get("/api/v1/public/specifications",
                                            query_string=query).get_json()["items"]] == ["JJF-2026-101"], query
    everything = public.get("/api/v1/public/specifications").get_json()
    assert [s["id"] for s in everything["items"]] == ["JJF-2026-101"]  # the confidential one never appears

    detail = public.get("/api/v1/public/specifications/JJF-2026-101").get_json()
    sha = hashlib.sha256(TEXT).hexdigest()
    assert detail["number"] == "JJF 1001—2026" and detail["full_text"]["sha256"] == sha
    assert detail["adoption"] == {"degree": "MOD", "degree_name": "修改采用", "document": "OIML R 76-1:2006"}
    assert [h["action"] for h in detail["status_history"]] == ["approved"]
    assert detail["predecessor"] is None and detail["successor"] is None
    download = public.get("/api/v1/public/specifications/JJF-2026-101/text")
    assert download.status_code == 200 and download.data == TEXT
    assert download.headers["X-Content-SHA256"] == sha == hashlib.sha256(download.data).hexdigest()

    assert public.get("/api/v1/public/specifications/JJF-2026-102").status_code == 404
    assert public.get("/api/v1/public/specifications/JJF-2026-102/text").status_code == 404


def test_proposal_records_the_adoption_degree_and_the_seed_types(w):
    iid = w.start("sec", "project_approval")["id"]
    refused = w.do("sec", iid, "p6_task_proposal", {**PROPOSAL, "adoption_degree": "IDT", "adopted_document": ""},
                   status=422)
    assert "adopted_document" in str(refused.get_json())
    p6_to_decision(w, iid, {**PROPOSAL, "spec_type": "标准参考数据", "field": "化学", "adoption_degree": "IDT"})
    spec = w.spec(w.instance(iid)["data"]["spec_id"])
    assert spec["type"] == "标准参考数据" and spec["field"] == "化学"
    assert (spec["adoption_degree"], spec["adopted_document"]) == ("IDT", "OIML R 76-1:2006")
