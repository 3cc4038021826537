"""The session report: built from the session's events, written as JSON.

The same builder serves file analysis, replayed landmarks and live sessions,
so a report means the same thing whichever way it was made.
"""

from __future__ import annotations

from typing import Any

from coach.analysis.session import Session
from coach.specs import PER_SIDE_MODES
from coach.types import Event, Snapshot, WarningEnded, WarningStarted

REPORT_VERSION = 5   # 2: kind, hold.count, hold.by_side, hold.items; 3: people_seen, not_seen; 4: setup (live);
                     # 5: started_at, video.source and video.name for every source, warnings[].cue
#: A part hidden in at least this share of the frames with a person is reported as not seen.
NOT_SEEN_SHARE = 0.1


class ReportBuilder:
    """Collects events and per-frame coverage while a session runs."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.frames = 0
        self.frames_with_pose = 0
        self.warnings: list[dict[str, Any]] = []
        self._open: dict[str, dict[str, Any]] = {}
        self._hidden_frames: dict[str, int] = {}
        self.last_t = 0.0

    def add(self, snapshot: Snapshot) -> None:
        self.frames += 1
        if snapshot.pose is not None:
            self.frames_with_pose += 1
            for part in snapshot.hidden_parts:
                self._hidden_frames[part] = self._hidden_frames.get(part, 0) + 1
        self.last_t = snapshot.t
        self.add_events(snapshot.events)

    def add_events(self, events: tuple[Event, ...] | list[Event]) -> None:
        for event in events:
            if isinstance(event, WarningStarted):
                item = {"id": event.id, "message": event.message, "cue": event.cue or event.message.split(":")[0],
                        "start_s": round(event.t, 3), "end_s": None}
                self._open[event.id] = item
                self.warnings.append(item)
            elif isinstance(event, WarningEnded) and event.id in self._open:
                self._open.pop(event.id)["end_s"] = round(event.t, 3)

    def build(self, video: dict[str, Any] | None = None, interrupted: bool = False,
              backend: str | None = None, people_seen: int | None = None,
              started_at: dict[str, str] | None = None) -> dict[str, Any]:
        """The report as a JSON-ready dict (call after ``session.finish``)."""
        spec = self.session.spec
        reps = self.session.reps
        hold = self.session.hold
        by_side = reps.count_by_side() if (reps and spec.sides in PER_SIDE_MODES) else None
        items = [r.as_dict() for r in reps.items] if reps else []
        coverage = self.frames_with_pose / self.frames if self.frames else 0.0
        for item in self._open.values():
            item["end_s"] = round(self.last_t, 3)
        report: dict[str, Any] = {
            "report_version": REPORT_VERSION,
            "exercise": spec.id,
            "exercise_name": spec.name,
            "kind": spec.kind,
            # When the session began (ISO 8601 with time zone), and how that is known: "clock" for a
            # live session, "file time" for a recording (its file's time less its duration).
            "started_at": started_at,
            "video": video,
            "pose_backend": backend,
            # The most people the pose model saw in one frame (one of them was followed).
            "people_seen": people_seen,
            "pose_coverage": round(coverage, 4),
            "camera_tilt_deg": round(self.session.tilt.value, 1) if self.session.tilt.value is not None else None,
            "interrupted": interrupted,
            "targets": {"reps": spec.targets.reps, "hold_s": spec.targets.hold_s, "per_side": spec.targets.per_side},
            "reps": {
                "count": reps.count if reps else 0,
                "partial": reps.partial if reps else 0,
                "by_side": by_side,
                "items": items,
            },
            "hold": {
                "count": hold.count,
                "total_s": round(hold.total_s, 2),
                "in_form_s": round(hold.in_form_s, 2),
                "longest_s": round(hold.longest_s, 2),
                "by_side": hold.by_side() if spec.sides in PER_SIDE_MODES else None,
                "items": [{"start_s": round(s.start_s, 3), "end_s": round(s.end_s, 3),
                           "in_form_s": round(s.in_form_s, 2), "side": s.side} for s in hold.segments],
            },
            "warnings": self.warnings,
            # Parts the exercise measures that were out of the picture or hidden for a while
            # (share of the frames with a person): what was judged without them, or not judged.
            "not_seen": self._not_seen(),
        }
        if spec.sides == "in_turn":
            report["sides_note"] = "sides given in turn, left first: one camera cannot tell which side is worked"
        if coverage == 0.0:
            report["message"] = "No person was found in the video."
        return report


    def _not_seen(self) -> dict[str, float]:
        if not self.frames_with_pose:
            return {}
        shares = {part: n / self.frames_with_pose for part, n in sorted(self._hidden_frames.items())}
        return {part: round(share, 2) for part, share in shares.items() if share >= NOT_SEEN_SHARE}


def side_comparison(by_side: dict[str, dict[str, float]], target: dict[str, Any]) -> str:
    """One line comparing left and right holds, e.g. for a one-sided stretch."""
    left, right = by_side["left"], by_side["right"]
    per = f" of {target['reps']}" if target.get("reps") and target.get("per_side") else ""
    line = (f"sides: left {left['holds']}{per} holds, {left['in_form_s']:.1f} s in form; "
            f"right {right['holds']}{per} holds, {right['in_form_s']:.1f} s in form")
    lo, hi = sorted((left["in_form_s"], right["in_form_s"]))
    if hi > 0 and lo == 0:
        line += f" ({'left' if left['in_form_s'] == 0 else 'right'} side not done)"
    elif hi > 0 and lo < 0.8 * hi:
        weaker = "left" if left["in_form_s"] < right["in_form_s"] else "right"
        line += f" ({weaker} side {100 * (1 - lo / hi):.0f} % shorter)"
    return line


def summary_lines(report: dict[str, Any]) -> list[str]:
    """A short human summary of a report, for the terminal."""
    lines = [f"{report['exercise_name']}: pose found in {report['pose_coverage'] * 100:.0f}% of frames"]
    if report.get("message"):
        lines.append(report["message"])
    reps = report["reps"]
    target = report["targets"]
    per_side = " per side" if target.get("per_side") else ""
    if report.get("kind") == "hold":
        if target["reps"]:
            lines.append(f"holds: {report['hold']['count']} / target {target['reps']}{per_side}")
    elif reps["items"] or target["reps"]:
        line = f"reps: {reps['count']}" + (f" / target {target['reps']}{per_side}" if target["reps"] else "")
        if reps["by_side"]:
            line += f" (left {reps['by_side']['left']}, right {reps['by_side']['right']})"
        if reps["partial"]:
            line += f", and {reps['partial']} partial"
        lines.append(line)
    hold = report["hold"]
    if report.get("kind") == "reps":
        # For reps, "hold" is the time at the top of each rep: the same figure as the reps table's.
        tops = [r["hold_s"] for r in reps["items"] if r["complete"]]
        if tops:
            line = f"at the top: {sum(tops) / len(tops):.1f} s a rep on average, longest {max(tops):.1f} s"
            lines.append(line + (f" (target {target['hold_s']:g} s)" if target["hold_s"] else ""))
    else:
        line = (f"hold: {hold['in_form_s']:.1f} s in good form of {hold['total_s']:.1f} s in position, "
                f"longest {hold['longest_s']:.1f} s")
        lines.append(line + (f" (target {target['hold_s']:g} s per hold)" if target["hold_s"] else ""))
    if hold.get("by_side"):
        lines.append(side_comparison(hold["by_side"], target))
    counts: dict[str, int] = {}
    words: dict[str, str] = {}
    for w in report["warnings"]:
        counts[w["id"]] = counts.get(w["id"], 0) + 1
        words[w["id"]] = w.get("cue") or w["message"].split(":")[0]
    if counts:
        lines.append("form cues: " + "; ".join(f"{words[k]} ({_times(v)}) [{k}]" for k, v in counts.items()))
    else:
        lines.append("form cues: none")
    if report.get("not_seen"):
        lines.append("not seen: " + ", ".join(f"{part} ({share * 100:.0f} % of the time)"
                                               for part, share in report["not_seen"].items()))
    if report.get("interrupted"):
        lines.append("(interrupted: partial result)")
    return lines



def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def end_screen_lines(report: dict[str, Any], cues: dict[str, str]) -> list[str]:
    """The end-of-session screen, in a few big lines: the count or the hold against the target, the
    share in good form, the most frequent cue (``cues`` maps warning ids to their words)."""
    if report.get("message"):
        return [report["message"]]
    lines = []
    target, reps, hold = report["targets"], report["reps"], report["hold"]
    if report.get("kind") == "reps":
        line = f"Reps: {reps['count']}" + (f" of {target['reps']}" if target["reps"] else "")
        if reps["by_side"]:
            per = f" of {target['reps']}" if target["reps"] else ""
            line = f"Reps: left {reps['by_side']['left']}{per}, right {reps['by_side']['right']}{per}"
        if reps["partial"]:
            line += f" (+ {reps['partial']} partial)"
        lines.append(line)
        if reps["items"]:
            clean = sum(1 for item in reps["items"] if not item["warnings"])
            lines.append(f"In good form: {clean} of {len(reps['items'])} reps")
    else:
        goal = f" of {target['hold_s']:g} s" if target["hold_s"] else ""
        lines.append(f"Held {hold['in_form_s']:.0f} s in good form{goal}"
                     + (f" ({hold['count']} holds)" if hold["count"] > 1 else ""))
        if hold["total_s"] > 0:
            lines.append(f"In good form: {100 * hold['in_form_s'] / hold['total_s']:.0f} % of the time in position")
    counts: dict[str, int] = {}
    for w in report["warnings"]:
        counts[w["id"]] = counts.get(w["id"], 0) + 1
    if counts:
        top = max(counts, key=lambda k: counts[k])
        lines.append(f"Most frequent cue: {cues.get(top, top)} ({_times(counts[top])})")
    else:
        lines.append("No form cues: well done")
    return lines

