"""The triage_replies and score_triage management commands (no database needed)."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

CASES = Path(__file__).with_name("cases.jsonl")


def triage_replies(text: str, *args: str) -> list[dict]:
    out = io.StringIO()
    call_command("triage_replies", *args, stdin=io.StringIO(text), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_triage_replies_writes_one_json_line_per_reply_in_order():
    lines = [
        {"id": "a", "text": "cant pee since last night"},
        {"id": "b", "text": "yes", "question": "numbness", "channel": "voice"},
        {"id": "c", "text": "8", "question": "pain"},
    ]
    got = triage_replies("".join(json.dumps(x) + "\n" for x in lines))
    assert [o["id"] for o in got] == ["a", "b", "c"]
    assert got[0] == {
        "id": "a",
        "findings": ["bladder"],
        "severity": "emergency",
        "needs_review": False,
        "pain_score": None,
        "evidence": {"bladder": "cant pee"},
        "truncated": False,
    }
    assert got[1]["findings"] == ["numbness"]
    assert got[2]["pain_score"] == 8
    assert got[2]["severity"] == "urgent"


def test_a_reply_longer_than_triage_reads_is_marked_truncated_and_for_review():
    (got,) = triage_replies(json.dumps({"id": "long", "text": "walking more today. " * 200}))
    assert (got["truncated"], got["needs_review"]) == (True, True)


def test_triage_replies_reports_bad_lines_goes_on_and_exits_1():
    text = (
        '{"id": 1, "text": "no numbness"}\n'
        "not json\n"
        '{"id": 3}\n'
        '{"id": 4, "text": "  "}\n'
        '{"id": 5, "text": "yes", "question": "mood"}\n'
        '{"id": 6, "text": "si", "lang": "fr"}\n'
        '{"id": 7, "text": "si", "channel": "fax"}\n'
        '{"id": 8, "text": "my groin is numb"}\n'
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="6 invalid"):
        call_command("triage_replies", stdin=io.StringIO(text), stdout=out)
    got = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [o["id"] for o in got] == [1, None, 3, 4, 5, 6, 7, 8]
    assert [("error" in o) for o in got] == [False, True, True, True, True, True, True, False]
    assert "missing text" in got[2]["error"]
    assert "empty text" in got[3]["error"]
    assert "question" in got[4]["error"]
    assert "lang" in got[5]["error"]
    assert "channel" in got[6]["error"]
    assert got[7]["severity"] == "emergency"


def test_triage_replies_reads_a_file_argument(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "x", "text": "me cai en el bano", "lang": "es"}\n', encoding="utf-8")
    out = io.StringIO()
    call_command("triage_replies", str(path), stdout=out)
    assert json.loads(out.getvalue())["findings"] == ["fall"]


def test_triage_replies_names_a_missing_file():
    with pytest.raises(CommandError, match="cannot read"):
        call_command("triage_replies", "/nonexistent/replies.jsonl", stdout=io.StringIO())


def test_a_file_that_is_not_utf8_is_named_not_a_traceback(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"id": "x", "text": "me caí"}\n'.encode("latin-1"))
    for command in ("triage_replies", "score_triage"):
        with pytest.raises(CommandError, match="is not UTF-8 text"):
            call_command(command, str(path), stdout=io.StringIO())


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("[1, 2]", "line 1 is not a JSON object"),
        ('{"id": "1", "text": "ok", "findings": []}', "line 1 needs a severity"),
        ('{"id": "1", "text": "ok", "severity": "none"}', "line 1 needs a severity"),
        ('{"id": "1", "text": "ok", "severity": [], "findings": []}', "line 1 needs a severity"),
        ('{"id": "1", "text": "ok", "severity": "none", "findings": [{}]}', "line 1 needs"),
        ("{not json", "line 1 is not JSON"),
    ],
)
def test_score_triage_names_a_line_it_cannot_score(tmp_path, line, said):
    path = tmp_path / "labels.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=said):
        call_command("score_triage", str(path), stdout=io.StringIO())


def test_score_triage_prints_the_safety_numbers_for_a_file():
    out = io.StringIO()
    call_command("score_triage", str(CASES), "--by-group", "--check", stdout=out)
    text = out.getvalue()
    assert "escalation recall 100.0%" in text
    assert "en x voice" in text
    assert "saddle_numbness" in text


def test_score_triage_check_fails_when_targets_are_missed(tmp_path):
    bad = tmp_path / "bad.jsonl"
    item = {
        "id": "1",
        "question": "general",
        "channel": "sms",
        "lang": "en",
        "text": "all good",
        "findings": ["bladder"],
        "severity": "emergency",
        "note": "x",
    }
    bad.write_text(json.dumps(item) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="escalation recall"):
        call_command("score_triage", str(bad), "--check", stdout=io.StringIO())


def test_score_triage_reads_the_corpus_named_by_the_environment(monkeypatch):
    monkeypatch.setenv("TRIAGE_CORPUS", str(CASES))
    out = io.StringIO()
    call_command("score_triage", stdout=out)
    assert out.getvalue().startswith(str(CASES))
