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


def test_the_annotated_video_is_h264_even_from_an_odd_sized_picture(tmp_path):
    """Browsers play H.264 (yuv420p needs even sides: an odd picture loses its last row and column)."""
    import av
    import numpy as np

    from coach.output.sinks import VideoSink

    sink = VideoSink(tmp_path / "a.mp4", 15.0, (321, 241))
    for i in range(30):
        sink.write(np.full((241, 321, 3), i * 8, dtype=np.uint8))
    sink.close()
    with av.open(str(tmp_path / "a.mp4")) as video:
        stream = video.streams.video[0]
        assert (stream.codec_context.name, stream.width, stream.height) == ("h264", 320, 240)
        assert sum(1 for _ in video.decode(stream)) == 30


def test_highlights_are_the_reps_holds_and_cues_with_a_margin_merged():
    from coach.analysis.report import FormWarning, Hold, HoldItem, Report, Reps
    from coach.output.sinks import highlight_spans
    from coach.specs.model import Targets
    from coach.types import RepItem

    reps = [RepItem(index=1, side=None, start_s=2.0, end_s=4.0, complete=True, peak=0.0, hold_s=0.0, warnings=()),
            RepItem(index=2, side=None, start_s=5.5, end_s=7.0, complete=True, peak=0.0, hold_s=0.0, warnings=())]
    report = Report(exercise="x", exercise_name="X", kind="reps", targets=Targets(),
                    reps=Reps(count=2, items=reps), hold=Hold(items=[HoldItem(20.0, 25.0, 5.0, None)]),
                    warnings=[FormWarning("w", "", "", 30.0, None)])
    assert highlight_spans(report) == [(1.0, 8.0), (19.0, 26.0), (29.0, 31.0)]
