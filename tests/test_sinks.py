"""Writing outputs: nothing half-written, clear errors, no files from a start that failed."""

from __future__ import annotations

import errno
import json

import pytest

from coach.errors import OutputError
from coach.output import sinks
from coach.output.sinks import EventLog, write_json_atomic
from coach.types import StateChanged


def test_a_full_disk_while_writing_a_report_leaves_the_old_one_and_no_temporary_file(tmp_path, monkeypatch):
    report = tmp_path / "r.json"
    write_json_atomic(report, {"reps": 1})

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sinks.json, "dump", no_space)
    with pytest.raises(OutputError, match="No space left on device") as caught:
        write_json_atomic(report, {"reps": 2})
    assert caught.value.exit_code == 7
    assert json.loads(report.read_text()) == {"reps": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_an_event_log_is_made_with_its_first_event_only(tmp_path):
    log = EventLog(tmp_path / "sub" / "e.jsonl")
    log.write([])
    assert not (tmp_path / "sub").exists()
    log.write([StateChanged(t=0.0, state="active", message="")])
    log.close()
    assert json.loads((tmp_path / "sub" / "e.jsonl").read_text())["state"] == "active"
