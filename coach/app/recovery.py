"""No session lost: a live session cut off hard (kill -9, a power cut) is rebuilt from its event log.

A live session, and each exercise of a routine, writes every event to its
``.events.jsonl`` as it happens, starting with a ``SessionStarted`` line that
names the exercise and where the report goes, and holds an exclusive lock on
the log while it runs (a routine also holds ``routine.lock`` in its folder of
logs, for its rests). Its report is written only at the end. At the next start
of ``coach``, :func:`recover_sessions` finds logs in the sessions folder (and
in the routines' folders) whose report was never written and whose lock is free
(their session is over), rebuilds each report from the events (reps, holds,
form cues; ``"recovered": true``), writes it and its HTML page where the report
was asked for, and adds it to the history. The exercises of a routine that ended
are left alone: one skipped has a log and no report.

A session whose report (and so its log) goes elsewhere is found through a link
in the sessions folder (:func:`link_into`), removed when the session ends.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from coach.analysis.report import Report, judge_tempo
from coach.errors import CoachError
from coach.output.sinks import SESSION_LOCK, SESSION_STARTED, fcntl
from coach.specs.reader import find_spec

#: A link to a log that was never written (a session that failed before its first event) is removed after this.
STALE_LINK_S = 24 * 3600.0


def link_into(sessions: Path, log: Path) -> Path | None:
    """A link in ``sessions`` to a live session's event log (or a routine's folder of logs) kept
    elsewhere, so a session cut off is found and its report rebuilt where it was asked for; None
    when the log is in ``sessions`` already. Remove it with :func:`unlink` when the session ends."""
    target = log.resolve()
    if target.parent == sessions.resolve():
        return None
    suffix = ".events.jsonl" if log.name.endswith(".events.jsonl") else ".events"
    tag = hashlib.sha1(str(target).encode()).hexdigest()[:8]
    link = sessions / f"{log.name.removesuffix(suffix)}-{tag}{suffix}"
    try:
        sessions.mkdir(parents=True, exist_ok=True)
        link.unlink(missing_ok=True)
        link.symlink_to(target)
    except OSError:
        return None                   # no link: the session runs, only its recovery is not possible
    return link


def unlink(link: Path | None) -> None:
    if link is not None:
        link.unlink(missing_ok=True)


def _dangling(log: Path) -> bool:
    """A link whose log does not exist (yet, or any more); one older than a day is removed."""
    if not log.is_symlink() or log.exists():
        return False
    if time.time() - log.lstat().st_mtime > STALE_LINK_S:
        log.unlink(missing_ok=True)
    return True


def _in_use(path: Path) -> bool:
    if fcntl is None:  # pragma: no cover
        return time.time() - path.stat().st_mtime < 60
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return False


def _locked(path: Path) -> bool:
    return path.exists() and _in_use(path)


def _events(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                yield json.loads(line)
            except json.JSONDecodeError:      # the last line, cut off mid-write
                return


def unfinished(sessions: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Event logs in ``sessions`` whose session ended without writing its report: (log, its header)."""
    found = []
    logs = sorted([*sessions.glob("*.events.jsonl"), *sessions.glob("*.events/*.events.jsonl")]) \
        if sessions.is_dir() else []
    for log in logs:
        if _dangling(log) or _dangling(log.parent):
            continue
        header = next(_events(log), None)
        if not header or header.get("event") != SESSION_STARTED:
            continue
        if header.get("routine_report") and (Path(header["routine_report"]).exists()
                                             or _locked(log.parent / SESSION_LOCK)):
            continue                     # a routine that ended (an exercise skipped has no report) or runs
        report = Path(header.get("report") or log.with_name(log.name.removesuffix(".events.jsonl") + ".json"))
        if not report.exists() and not _in_use(log):
            found.append((log, header))
    return found


def rebuild_report(log: Path, header: dict[str, Any]) -> Report:
    """The report of a session cut off, from what its event log holds."""
    spec = find_spec(header["exercise"])
    reps_by_index: dict[int, dict[str, Any]] = {}     # a rep recounted later replaces its first reading
    holds: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    open_warnings: dict[str, dict[str, Any]] = {}
    in_progress: dict[str, Any] | None = None
    last_t = 0.0
    for event in _events(log):
        last_t = max(last_t, float(event.get("t") or 0.0))
        kind = event.get("event")
        if kind in ("RepFinished", "RepRecounted"):
            reps_by_index[event["rep"]["index"]] = event["rep"]
        elif kind == "HoldSegment":
            holds.append({k: event[k] for k in ("start_s", "end_s", "in_form_s", "side")})
            in_progress = None
        elif kind == "HoldInProgress":
            in_progress = {k: event[k] for k in ("start_s", "end_s", "in_form_s", "side")}
        elif kind == "WarningStarted":
            item = {"id": event["id"], "message": event["message"], "cue": event.get("cue") or "",
                    "start_s": round(event["t"], 3), "end_s": None}
            open_warnings[event["id"]] = item
            warnings.append(item)
        elif kind == "WarningEnded" and event.get("id") in open_warnings:
            open_warnings.pop(event["id"])["end_s"] = round(event["t"], 3)
    if in_progress is not None:          # the hold it was cut off in, as far as the log saw it
        holds.append(in_progress)
    reps = [reps_by_index[i] for i in sorted(reps_by_index)]
    if spec.sides == "near":          # as the report builder does: both sides work, no side is named
        reps = [{**r, "side": None} for r in reps]
        holds = [{**h, "side": None} for h in holds]
    complete = [r for r in reps if r["complete"]]
    by_side = None
    if spec.sides != "near" and spec.kind == "reps":
        by_side = {side: sum(1 for r in complete if r["side"] == side) for side in ("left", "right")}
    total = sum(h["end_s"] - h["start_s"] for h in holds)
    report = Report.from_dict({
        "exercise": spec.id, "exercise_name": spec.name, "kind": spec.kind,
        "started_at": header.get("started_at"),
        "video": {"source": header.get("source", ""), "name": header.get("name", ""), "duration_s": round(last_t, 3)},
        "recovered": True, "interrupted": True, "ended_by": "cut off (recovered from the event log)",
        "message": "This session was cut off; its report was rebuilt from its event log.",
        "pose_coverage": None,
        "targets": asdict(spec.targets),
        "reps": {"count": len(complete), "partial": len(reps) - len(complete), "by_side": by_side, "items": reps},
        "hold": {"count": len(holds), "total_s": round(total, 2),
                 "in_form_s": round(sum(h["in_form_s"] for h in holds), 2),
                 "longest_s": round(max((h["end_s"] - h["start_s"] for h in holds), default=0.0), 2),
                 "by_side": None, "items": holds},
        "warnings": warnings,
        "not_seen": {},
    })
    # Each rep judged by the pace the spec asks, as the report builder does.
    return replace(report, reps=replace(report.reps, items=judge_tempo(report.reps.items, spec.targets)))


def recover_sessions(sessions: Path) -> list[tuple[Path, Report]]:
    """Rebuild and write the report of every session in ``sessions`` that was cut off; returns
    (report path, report) for each. A log that cannot be read is left as it is."""
    from coach.analysis.series import Series
    from coach.output.html import write_html
    from coach.output.sinks import write_json_atomic

    done = []
    for log, header in unfinished(sessions):
        try:
            report = rebuild_report(log, header)
            path = Path(header.get("report") or log.with_name(log.name.removesuffix(".events.jsonl") + ".json"))
            write_json_atomic(path, report.to_dict())
            spec = find_spec(header["exercise"])
            write_html(path.with_suffix(".html"), report, Series(spec), spec, [])   # no frames: no plot
        except (CoachError, KeyError, TypeError, ValueError, OSError):
            continue
        if log.is_symlink():
            log.unlink(missing_ok=True)
        done.append((path, report))
    return done
