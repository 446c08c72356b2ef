"""Documents: upload to an instance or task (size, type and content checks), sha256 in the history, list and
download in scope only; a notice publishes linked documents, which anyone may download."""
import hashlib
import io

from tests.scenarios.notice_support import PROBLEM, VARIABLES, public, start
from tests.timer_support import events

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\x00" * 64
SCOPE = {"committee": "MTC-12", "specification": "JJF-2026-001", "level": "national"}


def upload(caller, path, body=PDF, filename="征求意见稿.pdf", content_type="application/pdf", **form):
    data = {"file": (io.BytesIO(body), filename, content_type), **form}
    return caller.post(path, data=data, content_type="multipart/form-data")


def test_upload_list_download_in_scope(admin, login, engine, app):
    admin.deploy("notice_publish.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    inst = start(sec, "notice_publish", scope=SCOPE)
    response = upload(sec, f"/instances/{inst['id']}/documents", description="编写说明")
    assert response.status_code == 201, response.get_json()
    document = response.get_json()
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (document["filename"], document["size"], document["content_type"], document["task_id"]) == (
        "征求意见稿.pdf", len(PDF), "application/pdf", None)
    [event] = events(engine, inst["id"], "document_uploaded")
    assert (event.actor, event.data["sha256"], event.data["document_id"]) == ("sec12", document["sha256"],
                                                                             document["id"])

    listing = sec.get(f"/instances/{inst['id']}/documents").get_json()
    assert [d["id"] for d in listing["items"]] == [document["id"]]
    download = sec.get(document["url"].removeprefix("/api/v1"))
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf" and "attachment" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-SHA256"] == document["sha256"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    auditor = login("audit", "auditor")
    assert auditor.get(f"/documents/{document['id']}/content").data == PDF
    assert upload(auditor, f"/instances/{inst['id']}/documents").status_code == 403
    outsider = login("sec13", "secretariat:committee/MTC-13")
    for path in (f"/instances/{inst['id']}/documents", f"/documents/{document['id']}",
                 f"/documents/{document['id']}/content"):
        assert outsider.get(path).status_code == 404, path
    assert upload(outsider, f"/instances/{inst['id']}/documents").status_code == 404
    assert public(app).get(f"/api/v1/documents/{document['id']}/content").status_code == 401


def test_task_upload_needs_the_task_and_its_lane(admin, login, engine):
    admin.deploy("notice_publish.bpmn")
    sec = login("sec", "secretariat")
    inst = start(sec, "notice_publish")
    [task] = inst["tasks"]
    member = login("member", "member")
    assert upload(member, f"/tasks/{task['id']}/documents").status_code in (403, 404)
    response = upload(sec, f"/tasks/{task['id']}/documents", body=DOCX, filename="编写说明.docx",
                      content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["task_id"] == task["id"]
    assert [d["filename"] for d in sec.get(f"/tasks/{task['id']}/documents").get_json()["items"]] == ["编写说明.docx"]
    [event] = events(engine, inst["id"], "document_uploaded")
    assert (event.task_id, event.element_id) == (task["id"], "prepare")
    assert sec.complete(task["id"]).status_code == 200
    closed = upload(sec, f"/tasks/{task['id']}/documents")
    assert closed.status_code == 409 and closed.content_type == PROBLEM


def test_limits_on_size_type_and_content(admin, login, monkeypatch):
    monkeypatch.setenv("MTCFLOW_DOCUMENT_MAX_BYTES", "1000")
    admin.deploy("notice_publish.bpmn")
    sec = login("sec", "secretariat")
    path = f"/instances/{start(sec, 'notice_publish')['id']}/documents"
    too_big = upload(sec, path, body=PDF + b"0" * 1000)
    assert too_big.status_code == 413 and too_big.content_type == PROBLEM
    assert too_big.get_json()["max_bytes"] == 1000
    far_too_big = upload(sec, path, body=PDF + b"0" * 200_000)
    assert far_too_big.status_code == 413 and far_too_big.get_json()["max_bytes"] == 1000
    refusals = [
        upload(sec, path, body=b"MZ\x90\x00", filename="setup.exe", content_type="application/x-msdownload"),
        upload(sec, path, body=b"<html>", filename="draft.pdf"),  # not a PDF inside
        upload(sec, path, filename="draft.docx"),  # the name does not match the type
        upload(sec, path, body=b""),
        upload(sec, path, body=b"\xff\xfe\x00bad", filename="notes.txt", content_type="text/plain"),
        sec.post(path, data={"description": "no file"}, content_type="multipart/form-data"),
    ]
    for response in refusals:
        assert response.status_code == 422 and response.content_type == PROBLEM, response.get_json()
    assert "accepted" in refusals[0].get_json()
    sniffed = upload(sec, path, filename="../../etc/说明.pdf", content_type="application/octet-stream")
    assert sniffed.status_code == 201
    assert (sniffed.get_json()["filename"], sniffed.get_json()["content_type"]) == ("说明.pdf", "application/pdf")
    assert len(sec.get(path).get_json()["items"]) == 1


def test_notice_publishes_linked_documents_to_the_public(admin, login, engine, app):
    admin.deploy("notice_publish.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    inst = start(sec, "notice_publish", scope=SCOPE)
    [task] = inst["tasks"]
    draft = upload(sec, f"/tasks/{task['id']}/documents").get_json()
    private = upload(sec, f"/instances/{inst['id']}/documents", body=b"internal notes", filename="内部.txt",
                     content_type="text/plain").get_json()
    done = sec.complete(task["id"], {"notice_document_ids": [draft["id"]]})
    assert done.status_code == 200, done.get_json()
    notice_id = sec.get(f"/instances/{inst['id']}").get_json()["data"]["notice_id"]

    client = public(app)
    notice = client.get(f"/api/v1/notices/{notice_id}").get_json()
    [shown] = notice["documents"]
    assert (shown["id"], shown["sha256"], shown["filename"]) == (draft["id"], draft["sha256"], "征求意见稿.pdf")
    assert shown["published_at"] is not None
    download = client.get(shown["url"])
    assert download.status_code == 200 and download.data == PDF
    assert client.get(f"/api/v1/notices/{notice_id}/documents/{private['id']}").status_code == 404
    assert client.get(f"/api/v1/documents/{draft['id']}/content").status_code == 401
    [opened] = events(engine, inst["id"], "notice_opened")
    assert opened.data["documents"] == [{"id": draft["id"], "sha256": draft["sha256"]}]


def test_documents_of_another_specification_cannot_be_published(admin, login):
    admin.deploy("notice_publish.bpmn")
    sec = login("sec", "secretariat")
    other = start(sec, "notice_publish", scope={**SCOPE, "specification": "JJF-2026-999"})
    foreign = upload(sec, f"/instances/{other['id']}/documents").get_json()
    inst = start(sec, "notice_publish", scope=SCOPE)
    [task] = inst["tasks"]
    refused = sec.complete(task["id"], {"notice_document_ids": [foreign["id"]]})
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "notice_document_ids"
    missing = sec.complete(task["id"], {"notice_document_ids": [99999]})
    assert missing.status_code == 422
    same_spec = start(sec, "notice_publish", scope=SCOPE)
    sibling = upload(sec, f"/instances/{same_spec['id']}/documents").get_json()  # e.g. the drafting instance
    assert sec.complete(task["id"], {"notice_document_ids": [sibling["id"]], **VARIABLES}).status_code == 200


def test_documents_may_exceed_the_api_body_limit(admin, login):
    admin.deploy("notice_publish.bpmn")
    sec = login("sec", "secretariat")
    inst = start(sec, "notice_publish")
    body = PDF + b"0" * (3 * 1024 * 1024)  # larger than a JSON request may be, within the 20 MiB default
    response = upload(sec, f"/instances/{inst['id']}/documents", body=body)
    assert response.status_code == 201, response.get_json()
    assert sec.get(response.get_json()["url"].removeprefix("/api/v1")).data == body
