"""The notice registry and document checks without HTTP: windows, phases, refusals, file names and types."""
from datetime import timedelta

import pytest

from engine.errors import Conflict, InvalidInput
from engine.notices import board as notices
from engine.notices import documents
from engine.notices.models import Notice

POLICY = documents.DocumentPolicy(max_bytes=100)


def test_window_end_resolves_like_the_timer(clock):
    now = clock.now()
    end, note = notices.window_end("comment_window", "national", None, now)
    assert end == now + timedelta(days=30) and note["profile"] == "national"
    end, note = notices.window_end("comment_window", "provincial", "江苏", now)
    assert (end.isoformat(), note["profile"]) == ("2026-03-30T16:00:00+00:00", "provincial")
    assert notices.window_end("P5WD", None, None, now)[0].isoformat() == "2026-03-09T16:00:00+00:00"
    for bad in ("no_such_key", "committee_min_size", "PT0S", "1 + 1"):
        with pytest.raises(InvalidInput):
            notices.window_end(bad, "national", None, now)


def test_comment_before_the_window_opens_is_refused(engine, clock):
    now = clock.now()
    with engine.db.transaction() as session:
        notice = Notice(kind="abolition", subject="废止公示", window_key="P10D", status="open",
                        opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=11))
        session.add(notice)
        session.flush()
        notice_id = notice.id
    with pytest.raises(Conflict) as info, engine.db.transaction() as session:
        notices.add_comment(session, notice_id, "comment", "甲", None, None, "早到的意见")
    assert info.value.extra["notice_phase"] == "upcoming" and "opens at" in info.value.detail
    clock.advance(days=1)
    with engine.db.transaction() as session:
        notices.add_comment(session, notice_id, "comment", "甲", None, None, "准时的意见")
        assert notices.phase(session.get(Notice, notice_id)) == "open"
    clock.advance(days=10)
    with engine.db.transaction() as session:
        assert notices.phase(session.get(Notice, notice_id)) == "ended"
        result = notices.close_notice(session, session.get(Notice, notice_id), "system", None)
        assert (result["notice_comment_count"], result["notice_objection_count"]) == (1, 0)
        assert notices.close_notice(session, session.get(Notice, notice_id), "system", None) == result  # idempotent


def test_document_ids_accept_one_or_many():
    assert notices.document_ids(None) == [] and notices.document_ids(5) == [5]
    assert notices.document_ids(["3", 3, 4]) == [3, 4]
    for bad in (["x"], {"id": 1}, list(range(100))):
        with pytest.raises(InvalidInput):
            notices.document_ids(bad)


@pytest.mark.parametrize(("given", "kept"), [
    ("../../etc/passwd.pdf", "passwd.pdf"), ("C:\\Users\\张三\\说明.docx", "说明.docx"),
    ("bad\x00name\n.pdf", "badname.pdf"), ("  spaced   out .pdf ", "spaced out .pdf"),
    ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
])
def test_clean_filename(given, kept):
    assert documents.clean_filename(given) == kept


def test_clean_filename_refuses_nothing_left():
    for bad in (None, "", "../", " . "):
        with pytest.raises(InvalidInput):
            documents.clean_filename(bad)


def test_check_content_sniffs_and_limits():
    assert documents.check_content(POLICY, "a.pdf", "application/pdf", b"%PDF-1.4") == "application/pdf"
    assert documents.check_content(POLICY, "a.csv", None, "名称,值\n".encode()) == "text/csv"
    assert documents.check_content(POLICY, "a.jpeg", "image/jpeg; q=1", b"\xff\xd8\xff\xe0") == "image/jpeg"
    with pytest.raises(documents.TooLarge):
        documents.check_content(POLICY, "a.pdf", "application/pdf", b"%PDF-" + b"0" * 100)
    for name, kind, body in (("a.pdf", "application/pdf", b"PK\x03\x04"), ("a.html", "text/html", b"<p>"),
                             ("a.doc", "application/msword", b"%PDF-"), ("a.pdf", "text/plain", b"text")):
        with pytest.raises(InvalidInput):
            documents.check_content(POLICY, name, kind, body)
    narrow = documents.DocumentPolicy(max_bytes=100, types=frozenset({"application/pdf"}))
    with pytest.raises(InvalidInput):
        documents.check_content(narrow, "a.png", "image/png", b"\x89PNG\r\n\x1a\n")
