"""The session: one object that turns poses over time into counts, holds and warnings.

Per update it smooths the landmarks, picks the side to watch, computes the
spec's metrics, and decides the tracking state:

* ``no_person``: nobody detected;
* ``wrong_view``: seen from the wrong side for a while (a side-view exercise
  filmed from the front): the message says how to turn, and form is not judged;
* ``cant_see``: a person, but landmarks the exercise needs are hidden
  (the message names them: "can't see your knees");
* ``not_in_position``: visible, but not in the exercise's position (getting
  down onto the mat, standing up, walking past);
* ``active``: counting, timing and checking form.

Only ``active`` feeds the analysers. Short dropouts are bridged by the
analysers' own grace periods; leaving the position drops a rep in progress
and ends a hold, so getting into and out of position never counts.
"""

from __future__ import annotations

from collections import deque

from coach import landmarks
from coach.analysis.form import FormChecker
from coach.analysis.holds import HoldTimer, conditions_hold, stood_in_for
from coach.analysis.metrics import MetricComputer
from coach.analysis.reps import RepCounter
from coach.analysis.side import SideChooser
from coach.analysis.view import ADVICE, TiltEstimate, ViewCheck
from coach.smoothing import LandmarkSmoother
from coach.specs.model import PER_SIDE_MODES, Condition, ExerciseSpec
from coach.types import Event, Metrics, Pose, SessionState, Snapshot, StateChanged

#: Settling readings kept for a hold's start (settle_s is at most a second or two: 60 at 30 fps).
SETTLING_KEPT = 90

MESSAGES = {
    SessionState.NO_PERSON: "Nobody in view: step in front of the camera",
    SessionState.NOT_IN_POSITION: "Get into the starting position",
}


class PositionGate:
    """In-position detection with settle and leave delays, in seconds."""

    def __init__(self, conditions: tuple[Condition, ...], settle_s: float, leave_after_s: float) -> None:
        self.conditions = conditions
        self.settle_s = settle_s
        self.leave_after_s = leave_after_s
        self.inside = False
        self.raw: bool | None = None   # this frame's reading, before the delays
        self._since: float | None = None

    def update(self, metrics: Metrics, t: float) -> bool:
        raw = self.raw = conditions_hold(self.conditions, metrics)
        if raw is None or raw == self.inside:
            self._since = None
            return self.inside
        if self._since is None:
            self._since = t
        if t - self._since >= (self.settle_s if raw else self.leave_after_s):
            self.inside = raw
            self._since = None
        return self.inside

    def reset(self) -> None:
        self.inside = False
        self._since = None


class Session:
    """Runs one exercise spec over a stream of poses.

    Example:
        >>> from coach.specs.reader import find_spec
        >>> session = Session(find_spec("plank"))
        >>> snapshot = session.update(None, 0.0)
        >>> snapshot.state
        <SessionState.NO_PERSON: 'no_person'>
    """

    def __init__(self, spec: ExerciseSpec) -> None:
        self.spec = spec
        timing = spec.timing
        self.smoother = LandmarkSmoother()
        self.metrics = MetricComputer(spec)
        self.sides = SideChooser(switch_after_s=timing.side_switch_s)
        self.gate = PositionGate(spec.position, timing.settle_s, timing.leave_after_s)
        self._if_unseen = {c.metric: tuple(s.metric for s in c.if_unseen) for c in spec.position if c.if_unseen}
        in_turn = spec.sides == "in_turn"
        self.reps = RepCounter(spec.reps, timing.lost_reset_s, in_turn=in_turn,
                               must_rise=_all_of(spec, spec.reps.metric)) if spec.reps else None
        # A rep exercise without its own [[hold]] times the top of each rep:
        # the rep counter says when its metric is at full range (see _run).
        self.hold = HoldTimer(spec.hold, timing.dropout_grace_s, timing.min_hold_s,
                              in_turn=in_turn and not spec.reps)
        self.form = FormChecker(spec.warnings)
        self.view = ViewCheck(spec.view)
        self.tilt = TiltEstimate()
        self.state = SessionState.NO_PERSON
        self.message = MESSAGES[SessionState.NO_PERSON]
        self._last_seen_t: float | None = None
        self._settling: deque[tuple[float, Metrics]] = deque(maxlen=SETTLING_KEPT)   # see _held_since
        #: This reading's hold was decided by stand-ins that cannot tell these apart (see Condition).
        self.stood_in: tuple[str, ...] = ()

    def update(self, pose: Pose | None, t: float) -> Snapshot:
        """Advance the session to time ``t`` (seconds) with this frame's pose."""
        events: list[Event] = []
        self.stood_in = ()
        pose = self.smoother.update(pose, t)
        metrics: Metrics | None = None
        hidden: set[int] = set()
        if pose is None:
            state, message = SessionState.NO_PERSON, MESSAGES[SessionState.NO_PERSON]
        elif self.view.update(pose, t):
            state, message = SessionState.WRONG_VIEW, ADVICE[self.spec.view]
        else:
            self.tilt.update(pose, t)
            metrics, hidden = self._metrics_for(pose, t)
            missing = [k for k in self.spec.key_metrics if metrics.get(k) is None and not self._stood_in(k, metrics)]
            if missing:
                parts = sorted({landmarks.part_label(i) for i in hidden}) or ["body"]
                state = SessionState.CANT_SEE
                message = f"Can't see your {' and '.join(parts)}: check the camera"
                metrics = None
            elif self.gate.update(metrics, t):
                state, message = SessionState.ACTIVE, ""
            else:
                state, message = SessionState.NOT_IN_POSITION, MESSAGES[SessionState.NOT_IN_POSITION]
        if state in (SessionState.NO_PERSON, SessionState.CANT_SEE):
            # Gone for long: the person must settle into position again.
            if self._last_seen_t is not None and t - self._last_seen_t > self.spec.timing.lost_reset_s:
                self.gate.reset()
            events += self._run(None, t)
            self._note_settling(None, t)
            if self._last_seen_t is not None and t - self._last_seen_t > self.spec.timing.dropout_grace_s:
                # Gone past a dropout: a cue shown is no longer seen, so it ends where it was last seen.
                events += self.form.clear(self._last_seen_t)
            if self.reps is not None:
                self.reps.settling(None, t)
        else:
            self._last_seen_t = t
            if state != SessionState.ACTIVE:
                events += self._pause(t, "left the position")
                settling = state == SessionState.NOT_IN_POSITION and bool(self.gate.raw)
                self._note_settling(metrics if settling else None, t)
                if self.reps is not None:
                    self.reps.settling(metrics if settling else None, t)
            else:
                # Out of position but not yet for leave_after_s (a cut, a glitch,
                # standing up): the analysers see an unknown, not those angles.
                # A position metric that cannot be seen this frame (a prone
                # person's elbow, hidden by the chest lifted over it) is not
                # out of position: the gate stays as it was, and so do the
                # analysers' metrics.
                events += self._run(metrics if self.gate.raw is not False else None, t,
                                    out_of_position=self.gate.raw is False)
        if state != self.state or message != self.message:
            self.state, self.message = state, message
            events.append(StateChanged(t=t, state=state, message=message))
        return self._snapshot(t, pose, metrics, events, hidden)

    def _note_settling(self, metrics: Metrics | None, t: float) -> None:
        """Keep the readings while the position is being confirmed (None: not settling, forget them)."""
        if metrics is None:
            self._settling.clear()
        else:
            self._settling.append((t, metrics))

    def _held_since(self, t: float) -> float | None:
        """When a hold that opens now, on the first frames of the session counting, began: the
        earliest of the unbroken settling readings before ``t`` that were in the hold's position
        already (its still-ness aside, which needs a window of readings). Confirming the position
        takes ``settle_s``; holding it meanwhile is holding it (a 10 s side plank read 9.1 s)."""
        since = None
        for reading_t, metrics in reversed(self._settling):
            if conditions_hold(self.spec.hold, metrics, self.hold.rest) is not True:
                break
            since = reading_t
        self._settling.clear()
        return since if since is not None and since < t else None

    def _stood_in(self, name: str, metrics: Metrics) -> bool:
        """A position metric out of sight whose ``if_unseen`` stand-ins are all seen."""
        stand_ins = self._if_unseen.get(name, ())
        return bool(stand_ins) and all(metrics.get(m) is not None for m in stand_ins)

    def _metrics_for(self, pose: Pose, t: float) -> tuple[Metrics, set[int]]:
        if self.spec.sides != "alternating":
            return self.metrics.compute(pose, self.sides.update(pose, t))
        # Alternating: the working side is, frame by frame, the side whose
        # ``side_by`` metric (default: the rep metric) is higher, or lower
        # with ``side_pick = "lower"``. It is not locked for the length of a
        # rep, because MediaPipe can swap the labels of far-side limbs
        # mid-rep; a rep or hold keeps the side it started with.
        left = self.metrics.compute(pose, "left")
        right = self.metrics.compute(pose, "right")
        key = self.spec.side_by or (self.spec.reps.metric if self.spec.reps else self.spec.key_metrics[0])
        lv, rv = left[0].get(key), right[0].get(key)
        if lv is None:
            return right
        if rv is None:
            return left
        if self.spec.side_pick == "lower":
            lv, rv = -lv, -rv
        return left if lv >= rv else right

    def _run(self, metrics: Metrics | None, t: float, out_of_position: bool = False) -> list[Event]:
        """This frame for the analysers. ``out_of_position``: seen out of the position (the
        metrics withheld): a hold does not split for so short an exit, and its time does not
        make a hold of two glimpses too short to be one."""
        events: list[Event] = []
        if self.reps is not None:
            events += self.reps.update(metrics, t)
        in_rep = self.reps is None or self.reps.up
        if self.reps is not None and not self.spec.hold:
            in_rep = self.reps.at_full(metrics.get(self.reps.spec.metric) if metrics is not None else None)
        in_target = self.hold.read(metrics, t) if in_rep else False
        self.stood_in = stood_in_for(self.spec.hold, metrics) if in_target else ()
        phases = set()
        # Seen at an angle (a side exercise 30-45 deg off the side), a body's line reads several
        # degrees off (a straight real plank +20 against +12 from the side): form is not judged.
        if metrics is not None and not self.view.steadily_angled:
            phases.add("active")      # the form phase (specs' "during"), not the state
            if in_target:
                phases.add("hold")
            if self.reps is not None and self.reps.at_top(metrics.get(self.reps.spec.metric)):
                phases.add("rep_top")
            events += self.form.update(metrics, t, phases)
        active = self.form.active
        if self.reps is not None:
            for w in active:
                self.reps.note_warning(w.id)
        since = None
        if self._settling and (in_target or metrics is None):
            # The first frame counting: a hold already held while the position settled began then.
            since = self._held_since(t) if in_target and self.spec.kind == "hold" else None
            self._settling.clear()
        events += self.hold.update(in_target, metrics.side if metrics is not None else None, t, in_form=not active,
                                    seen_out=out_of_position, since=since)
        return events

    def _pause(self, t: float, reason: str, ending: bool = False) -> list[Event]:
        events: list[Event] = []
        if self.reps is not None:
            events += self.reps.finish(t) if ending else self.reps.abort(t, reason)
        events += self.hold.close(t)
        events += self.form.clear(t)
        return events

    def finish(self, t: float) -> list[Event]:
        """Close what is open at the end of the video or session (a rep at its top counts)."""
        return self._pause(t, "session ended", ending=True)

    def target_met(self) -> bool:
        """Whether the exercise's target is reached: reps (per side), or holds in good form.

        A hold counts toward the target once its seconds in good form reach the
        target hold. An exercise without a target never ends by itself.
        """
        spec = self.spec
        targets = spec.targets
        sides = ("left", "right") if targets.per_side else (None,)
        if spec.kind == "reps":
            if not targets.reps or self.reps is None:
                return False
            by_side = self.reps.count_by_side()
            return all((by_side[s] if s else self.reps.count) >= targets.reps for s in sides)
        if not targets.hold_s:
            return False
        needed = targets.holds or 1
        hold = self.hold
        good = [seg.side for seg in hold.segments if seg.in_form_s >= targets.hold_s]
        if hold.current_in_form_s >= targets.hold_s:       # the hold in progress has made it
            good.append(hold.current_side)
        return all(sum(1 for side in good if s is None or side == s) >= needed for s in sides)

    def _turn_side(self) -> str:
        """The side whose turn it is (in_turn specs): the rep or hold in progress, else the next."""
        if self.reps is not None:
            return self.reps.side or ("left", "right")[self.reps.count % 2]
        return self.hold.turn_side()

    def _snapshot(self, t: float, pose: Pose | None, metrics: Metrics | None, events: list[Event],
                  hidden: set[int]) -> Snapshot:
        reps = self.reps
        value = metrics.get(self.spec.reps.metric) if (metrics is not None and self.spec.reps) else None
        return Snapshot(
            t=t, state=self.state, message=self.message,
            side=self._turn_side() if self.spec.sides == "in_turn" else (
                metrics.side if metrics is not None else self.sides.side),
            metrics=metrics, pose=pose,
            reps=reps.count if reps else 0,
            reps_by_side=reps.count_by_side() if (reps and self.spec.sides in PER_SIDE_MODES) else None,
            partial_reps=reps.partial if reps else 0,
            rep_phase=reps.phase(value) if reps else "rest",
            hold_s=self.hold.total_s, current_hold_s=self.hold.current_s,
            hold_in_form_s=self.hold.in_form_s, current_in_form_s=self.hold.current_in_form_s,
            warnings=tuple((w.id, w.message) for w in self.form.active),
            events=tuple(events),
            hidden_parts=tuple(sorted({landmarks.part_label(i) for i in hidden})),
        )


def _all_of(spec: ExerciseSpec, metric: str) -> tuple[str, ...]:
    """The parts of a rep metric that is the lowest of several ("all of them"): each must rise in a rep."""
    m = spec.metrics[metric]
    return m.of if m.kind == "lowest" else ()
