"""The session report: a typed record built from the session's events, written as JSON.

One builder serves file analysis, replayed landmarks and live sessions, and one
:class:`Report` type carries the result to every writer (``coach.output.write``),
so a report means the same thing whichever way it was made. ``Report.to_dict``
is the JSON contract (versioned by ``report_version``); ``Report.from_dict``
reads it back.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from coach.analysis.session import Session
from coach.analysis.view import TURNED_NOTE
from coach.specs.model import PER_SIDE_MODES, Targets, WarningSpec, metric_unit
from coach.types import Event, RepItem, SessionState, Snapshot, WarningEnded, WarningStarted

REPORT_VERSION = 9   # 2: kind, hold.count, hold.by_side, hold.items; 3: people_seen, not_seen; 4: setup (live);
                     # 5: started_at, video.source and video.name for every source, warnings[].cue;
                     # 6: targets.holds (the number of holds of a hold exercise; targets.reps is for reps only), view_note;
                     # 7: judged, judged_note, judged_s; rep and hold items of a "near" exercise have no side
                     # 8: video.sha256 (a recording's content, so one analysed again is one session)
                     # 9: reps.items[].score (passed, of, missed: the rep's short score), hold_note
#: A part hidden in at least this share of the frames with a person is reported as not seen.
NOT_SEEN_SHARE = 0.1
SIDES_IN_TURN_NOTE = "sides given in turn, left first: one camera cannot tell which side is worked"
NO_PERSON = "No person was found in the video."
#: A rep held at its top for this share of the spec's target hold counts as held (people count
#: "one, two, three" a little fast; a rep held half as long as asked is not held).
HELD_SHARE = 0.9
#: Seconds in position, seen from the view the exercise needs, below which nothing was judged.
JUDGED_MIN_S = 1.0
#: Why form could not be judged, per session state (and for "active" seen at an angle), in words.
NOT_JUDGED_WHY = {
    "no_person": "nobody was in view",
    "wrong_view": "you were seen from the wrong side",
    "angled": "the camera saw you at an angle (30-45 deg off your side)",
    "cant_see": "parts of you the exercise needs were out of the picture or hidden",
    "not_in_position": "you were not in the exercise's position",
    "nothing_read": "no frame was read",
}


@dataclass
class StartedAt:
    """When the session began (ISO 8601 with time zone), and how that is known: ``clock`` for a live
    session, ``file time`` for a recording (its file's time less its duration), ``file date`` for a
    recording whose file carries a date without a time of day."""

    at: str
    known_from: str

    def to_dict(self) -> dict[str, str]:
        return {"at": self.at, "from": self.known_from}


@dataclass
class Video:
    """What was watched: a file, a camera or a replayed trace; the same shape for every source."""

    source: str
    name: str
    duration_s: float
    frames: int | None = None
    fps: float | None = None
    width: int | None = None
    height: int | None = None
    fps_note: str | None = None
    sha256: str | None = None            # a recording file's content (None: a camera or a replayed trace)


@dataclass
class Reps:
    count: int = 0
    partial: int = 0
    by_side: dict[str, int] | None = None
    items: list[RepItem] = field(default_factory=list)


@dataclass
class HoldItem:
    start_s: float
    end_s: float
    in_form_s: float
    side: str | None


@dataclass
class Hold:
    count: int = 0
    total_s: float = 0.0
    in_form_s: float = 0.0
    longest_s: float = 0.0
    by_side: dict[str, dict[str, float]] | None = None
    items: list[HoldItem] = field(default_factory=list)


@dataclass
class FormWarning:
    """A form warning as it was shown: from ``start_s`` to ``end_s`` (None while still shown)."""

    id: str
    message: str
    cue: str
    start_s: float
    end_s: float | None = None
    # What it rests on: the metric, the limit it passed, and the median reading while it was shown.
    metric: str | None = None
    limit: float | None = None
    value: float | None = None
    unit: str | None = None               # the metric's: "deg" or "torso lengths"


@dataclass
class Setup:
    """The live set-up check: did placement pass, was it finished, what was left to change."""

    passed: bool
    completed: bool
    advice: list[str]
    seconds: float


@dataclass
class Latency:
    p50: float
    p95: float
    max: float


@dataclass(frozen=True, kw_only=True)
class SessionContext:
    """Where and how a session was watched, declared once for every report that carries it: what
    was watched, when, by which pose model, and (live) the set-up, how it ended, the loop's pace."""

    video: Video | None = None
    started_at: StartedAt | None = None
    pose_backend: str | None = None
    people_seen: int | None = None        # the most people the pose model saw in one frame
    interrupted: bool = False
    setup: Setup | None = None            # live only
    ended_by: str | None = None           # live only: quit, end of video, time limit, ...
    live_fps: float | None = None
    frames_dropped: int | None = None
    latency_ms: Latency | None = None

    def context(self) -> dict[str, Any]:
        """The context fields by name (to put them into another report with ``dataclasses.replace``)."""
        return {f.name: getattr(self, f.name) for f in fields(SessionContext)}

    def context_json(self) -> dict[str, Any]:
        """The context fields that are set, as JSON data (a routine's and a workout's report carry them)."""
        return {name: _plain(value) for name, value in self.context().items() if value is not None}


@dataclass(frozen=True, kw_only=True)
class Report(SessionContext):
    """Everything a session found, frozen once built; the fields after ``not_seen`` are set only where they apply."""

    exercise: str
    exercise_name: str
    kind: str
    targets: Targets
    pose_coverage: float | None = 0.0     # share of frames with a person; None when rebuilt from events
    camera_tilt_deg: float | None = None
    reps: Reps = field(default_factory=Reps)
    hold: Hold = field(default_factory=Hold)
    warnings: list[FormWarning] = field(default_factory=list)
    # Parts the exercise measures that were out of the picture or hidden for a while (share of the
    # frames with a person): what was judged without them, or not judged.
    not_seen: dict[str, float] = field(default_factory=dict)
    sides_note: str | None = None
    view_note: str | None = None          # filmed at an angle the coach is not measured reliable at
    message: str | None = None
    recovered: bool = False               # rebuilt from the event log of a session cut off
    # Whether form and counts were judged at all: in position, from the view the exercise needs, for
    # at least JUDGED_MIN_S. Not judged, ``judged_note`` says why; judged, it says for how long it was not.
    judged: bool = True
    judged_note: str | None = None
    judged_s: float | None = None         # seconds in position, seen from the needed view (None: rebuilt)
    # Where a hold was decided by stand-ins for parts out of sight, what they could not tell apart
    # and for how long ("For 38 s of the hold your feet were out of sight: ...").
    hold_note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: every field under its own name, optional ones only when set."""
        out: dict[str, Any] = {"report_version": REPORT_VERSION}
        for name in _JSON_ORDER:
            value = getattr(self, name)
            if name in _OPTIONAL and value in (None, False):
                continue
            out[name] = _plain(value)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """A report read back from its JSON (any version since 5: a missing ``holds`` target is
        read from ``reps`` for a hold exercise)."""
        targets = dict(data["targets"])
        if "holds" not in targets:
            is_hold = data.get("kind") == "hold"
            targets["holds"] = targets.get("reps") if is_hold else None
            targets["reps"] = None if is_hold else targets.get("reps")
        reps, hold = data["reps"], data["hold"]
        started = data.get("started_at")
        return cls(
            exercise=data["exercise"], exercise_name=data["exercise_name"], kind=data.get("kind", "reps"),
            targets=Targets(**targets),
            video=Video(**data["video"]) if data.get("video") else None,
            started_at=StartedAt(started["at"], started["from"]) if started else None,
            pose_backend=data.get("pose_backend"), people_seen=data.get("people_seen"),
            pose_coverage=data.get("pose_coverage"), camera_tilt_deg=data.get("camera_tilt_deg"),
            interrupted=bool(data.get("interrupted")),
            reps=Reps(count=reps["count"], partial=reps["partial"], by_side=reps.get("by_side"),
                      items=[RepItem(**{**{k: v for k, v in r.items() if k != "score"},
                                         "warnings": tuple(r["warnings"])}) for r in reps["items"]]),
            hold=Hold(**{**hold, "items": [HoldItem(**h) for h in hold["items"]]}),
            warnings=[FormWarning(**w) for w in data["warnings"]],
            not_seen=data.get("not_seen") or {},
            sides_note=data.get("sides_note"), view_note=data.get("view_note"), message=data.get("message"),
            setup=Setup(**data["setup"]) if data.get("setup") else None,
            ended_by=data.get("ended_by"), live_fps=data.get("live_fps"), frames_dropped=data.get("frames_dropped"),
            latency_ms=Latency(**data["latency_ms"]) if data.get("latency_ms") else None,
            recovered=bool(data.get("recovered")),
            judged=bool(data.get("judged", True)), judged_note=data.get("judged_note"),
            judged_s=data.get("judged_s"), hold_note=data.get("hold_note"),
        )

#: The report's fields in the order the JSON has always had them (the context's among the rest).
_JSON_ORDER = ("exercise", "exercise_name", "kind", "targets", "video", "started_at", "pose_backend", "people_seen",
               "pose_coverage", "camera_tilt_deg", "interrupted", "reps", "hold", "warnings", "not_seen", "sides_note",
               "view_note", "message", "setup", "ended_by", "live_fps", "frames_dropped", "latency_ms", "recovered",
               "judged", "judged_note", "judged_s", "hold_note")
_OPTIONAL = {"sides_note", "view_note", "message", "setup", "ended_by", "live_fps", "frames_dropped", "latency_ms", "recovered",
             "judged_note", "judged_s", "hold_note"}


def _plain(value: Any) -> Any:
    """A report field as JSON data: rep items rounded as they always were, ``started_at``'s ``from``."""
    if isinstance(value, StartedAt):
        return value.to_dict()
    if isinstance(value, Reps):
        return {"count": value.count, "partial": value.partial, "by_side": value.by_side,
                "items": [r.as_dict() for r in value.items]}
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def judge_tempo(items: list[RepItem], targets: Targets) -> list[RepItem]:
    """Each complete rep judged by the pace its spec asks: its top held ``hold_s`` (within
    :data:`HELD_SHARE`), its way down taking ``lower_s``. A partial rep, or a pace not asked, is
    left unjudged (None)."""
    def judged(rep: RepItem) -> RepItem:
        if not rep.complete:
            return rep
        held = rep.hold_s >= HELD_SHARE * targets.hold_s if targets.hold_s else None
        slowly = (rep.down_s is not None and rep.down_s >= targets.lower_s) if targets.lower_s else None
        return replace(rep, held=held, lowered_slowly=slowly)
    return [judged(rep) for rep in items]


def _limit(rule: WarningSpec) -> float | None:
    """The level a warning's metric passed: ``above`` or ``below`` (the one side it has, or above)."""
    return rule.above if rule.above is not None else rule.below


class ReportBuilder:
    """Collects events and per-frame coverage while a session runs."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.frames = 0
        self.frames_with_pose = 0
        self.warnings: list[FormWarning] = []
        self._open: dict[str, FormWarning] = {}
        self._hidden_frames: dict[str, int] = {}
        self._angled_frames = 0        # a side exercise seen 30-45 deg off the side
        self._state_s: dict[str, float] = {}    # seconds per state ("angled": active, seen at an angle)
        self._rules = {w.id: w for w in session.spec.warnings}
        self._readings: dict[str, list[float]] = {}   # the metric's readings while each open warning shows
        self._stood_in_s: dict[str, float] = {}       # seconds held on stand-ins, by what they cannot tell
        self.last_t = 0.0

    def add(self, snapshot: Snapshot) -> None:
        if self.frames:
            state: str = snapshot.state
            if state is SessionState.ACTIVE and self.session.view.steadily_angled:
                state = "angled"
            self._state_s[state] = self._state_s.get(state, 0.0) + max(0.0, snapshot.t - self.last_t)
            for words in self.session.stood_in:
                self._stood_in_s[words] = self._stood_in_s.get(words, 0.0) + max(0.0, snapshot.t - self.last_t)
        self.frames += 1
        if snapshot.pose is not None:
            self.frames_with_pose += 1
            for part in snapshot.hidden_parts:
                self._hidden_frames[part] = self._hidden_frames.get(part, 0) + 1
            self._angled_frames += self.session.view.angled     # read once a frame, by the view check
        self.last_t = snapshot.t
        self.add_events(snapshot.events)
        if snapshot.metrics is not None:
            for wid, item in self._open.items():
                value = snapshot.metrics.get(item.metric) if item.metric else None
                if value is not None:
                    self._readings.setdefault(wid, []).append(value)

    def add_events(self, events: tuple[Event, ...] | list[Event]) -> None:
        for event in events:
            if isinstance(event, WarningStarted):
                rule = self._rules.get(event.id)
                item = FormWarning(id=event.id, message=event.message, cue=event.cue or event.message.split(":")[0],
                                   start_s=round(event.t, 3), metric=rule.metric if rule else None,
                                   limit=_limit(rule) if rule else None,
                                   unit=metric_unit(self.session.spec, rule.metric) if rule else None)
                self._open[event.id] = item
                self._readings[event.id] = []
                self.warnings.append(item)
            elif isinstance(event, WarningEnded) and event.id in self._open:
                self._close_warning(event.id, event.t)

    def _close_warning(self, wid: str, t: float) -> None:
        item = self._open.pop(wid)
        item.end_s = round(t, 3)
        readings = self._readings.pop(wid, [])
        if readings:
            item.value = round(statistics.median(readings), 2)
            rule = self._rules.get(wid)
            if rule is not None and rule.below is not None and rule.above is not None:
                item.limit = rule.below if item.value < rule.below else rule.above   # the side it went

    def build(self, video: Video | None = None, interrupted: bool = False, backend: str | None = None,
              people_seen: int | None = None, started_at: StartedAt | None = None) -> Report:
        """The report (call after ``session.finish``)."""
        spec = self.session.spec
        coverage = self.frames_with_pose / self.frames if self.frames else 0.0
        for wid in list(self._open):
            self._close_warning(wid, self.last_t)
        tilt = self.session.tilt.value
        return Report(
            exercise=spec.id, exercise_name=spec.name, kind=spec.kind,
            targets=spec.targets,
            video=video, started_at=started_at, pose_backend=backend, people_seen=people_seen,
            pose_coverage=round(coverage, 4), camera_tilt_deg=round(tilt, 1) if tilt is not None else None,
            interrupted=interrupted, reps=self._reps(), hold=self._hold(), warnings=self.warnings,
            not_seen=self._not_seen(),
            sides_note=SIDES_IN_TURN_NOTE if spec.sides == "in_turn" else None,
            message=NO_PERSON if coverage == 0.0 and self.frames else None,     # none read: none claimed
            view_note=TURNED_NOTE if self._angled_frames > self.frames_with_pose / 2 else None,
            hold_note=self._hold_note(), **self._judged(),
        )

    def _hold_note(self) -> str | None:
        """What the hold's time may include where stand-ins decided it for JUDGED_MIN_S or more."""
        held = self.session.hold.total_s        # moments in the position too short to be a hold are no hold
        notes = [f"For {min(seconds, held):.0f} s of the hold {words}." for words, seconds in self._stood_in_s.items()
                 if min(seconds, held) >= JUDGED_MIN_S]
        return " ".join(notes) or None

    def _judged(self) -> dict[str, Any]:
        """``judged``, ``judged_note`` and ``judged_s``: was the person judged, and if not (or not always), why.

        Judged means in the exercise's position, seen from the view it needs (not at an angle)
        and whole, for at least :data:`JUDGED_MIN_S`, and for longer than the person was seen
        from another view or in part: a session seen mostly from the front was not judged,
        whatever a few seconds before the view check turned said. The reason given is what kept
        the judging off longest.
        """
        judged_s = self._state_s.get("active", 0.0)
        unseen = {k: v for k, v in self._state_s.items() if k in ("wrong_view", "angled", "cant_see") and v > 0}
        if judged_s < JUDGED_MIN_S or sum(unseen.values()) > judged_s:
            absent = {k: v for k, v in self._state_s.items() if k == "not_in_position" and v > 0}
            reasons = unseen or absent
            main = max(reasons, key=lambda k: reasons[k]) if reasons else "no_person" if self.frames else "nothing_read"
            return {"judged": False, "judged_s": round(judged_s, 2),
                    "judged_note": f"Nothing was judged: {NOT_JUDGED_WHY[main]}."}
        unseen = {k: v for k, v in unseen.items() if v >= JUDGED_MIN_S}
        note = None
        if unseen:
            main = max(unseen, key=lambda k: unseen[k])
            note = f"Not judged for {unseen[main]:.0f} s: {NOT_JUDGED_WHY[main]}."
        return {"judged": True, "judged_s": round(judged_s, 2), "judged_note": note}

    def _reps(self) -> Reps:
        reps = self.session.reps
        if reps is None:
            return Reps()
        per_side = self.session.spec.sides in PER_SIDE_MODES
        by_side = reps.count_by_side() if per_side else None
        # A "near" exercise works both sides at once: the side facing the camera is only where it was
        # measured from, not a side worked, so its reps have none.
        items = list(reps.items) if per_side else [replace(r, side=None) for r in reps.items]
        targets = self.session.spec.targets
        return Reps(count=reps.count, partial=reps.partial, by_side=by_side, items=judge_tempo(items, targets))

    def _hold(self) -> Hold:
        hold = self.session.hold
        return Hold(
            count=hold.count, total_s=round(hold.total_s, 2), in_form_s=round(hold.in_form_s, 2),
            longest_s=round(hold.longest_s, 2),
            by_side=hold.by_side() if self.session.spec.sides in PER_SIDE_MODES else None,
            items=[HoldItem(start_s=round(s.start_s, 3), end_s=round(s.end_s, 3), in_form_s=round(s.in_form_s, 2),
                            side=s.side if self.session.spec.sides in PER_SIDE_MODES else None)
                   for s in hold.segments],
        )

    def _not_seen(self) -> dict[str, float]:
        if not self.frames_with_pose:
            return {}
        shares = {part: n / self.frames_with_pose for part, n in sorted(self._hidden_frames.items())}
        return {part: round(share, 2) for part, share in shares.items() if share >= NOT_SEEN_SHARE}


@dataclass(frozen=True)
class WorkoutPart:
    """One exercise of a recorded workout: when, and its report as if it had been analysed alone."""

    exercise: str
    exercise_name: str
    start_s: float
    end_s: float
    report: Report


@dataclass(frozen=True, kw_only=True)
class WorkoutReport(SessionContext):
    """A recording analysed without naming the exercise: the exercises found, in order
    (``coach.analysis.recognize``); time in none of them is in no part."""

    parts: list[WorkoutPart]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"report_version": REPORT_VERSION, "kind": "workout", "segments": [
            {"exercise": p.exercise, "exercise_name": p.exercise_name, "start_s": round(p.start_s, 2),
             "end_s": round(p.end_s, 2), "report": p.report.to_dict()} for p in self.parts]}
        return out | self.context_json()


@dataclass
class RoutineEntry:
    """One exercise of a routine: its report, or None when it was skipped."""

    exercise: str
    exercise_name: str
    report: Report | None = None

    @property
    def skipped(self) -> bool:
        return self.report is None


@dataclass(frozen=True, kw_only=True)
class RoutineReport(SessionContext):
    """A routine's report: one entry per exercise, and the live session's context at the top."""

    routine: str
    routine_name: str
    exercises: list[RoutineEntry]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "routine": self.routine, "routine_name": self.routine_name,
            "exercises": [{"exercise": e.exercise, "exercise_name": e.exercise_name, "skipped": e.skipped,
                           "report": e.report.to_dict() if e.report else None} for e in self.exercises]}
        return out | self.context_json()
