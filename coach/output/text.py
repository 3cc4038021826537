"""A report in words: the terminal summary and the end-of-session screen's lines."""

from __future__ import annotations

from coach.analysis.report import FormWarning, Report, Targets, WorkoutPart, WorkoutReport
from coach.types import RepItem

#: The end screen's word for a report's ``hold_note``.
HOLD_NOTE_SHORT = "Part of the hold was timed with you partly out of the picture: see the report"

#: A rep's checks in words: (what it asks, what missing it says).
CHECK_WORDS = {
    "range": ("full range", "not all the way"),
    "held": ("held as asked", "top too short"),
    "lowered_slowly": ("lowered slowly", "came down fast"),
    "form": ("no cue", "a form cue"),
}


def counted(n: int, word: str) -> str:
    """ "1 rep", "2 reps": a count and its noun, as a person writes them."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def side_comparison(by_side: dict[str, dict[str, float]], target: Targets) -> str:
    """One line comparing left and right holds, e.g. for a one-sided stretch."""
    left, right = by_side["left"], by_side["right"]
    per = f" of {target.holds}" if target.holds and target.per_side else ""
    holds = {side: f"{v['holds']}{per} holds" if per else counted(int(v["holds"]), "hold")
             for side, v in by_side.items()}
    line = (f"sides: left {holds['left']}, {left['in_form_s']:.1f} s in form; "
            f"right {holds['right']}, {right['in_form_s']:.1f} s in form")
    lo, hi = sorted((left["in_form_s"], right["in_form_s"]))
    if hi > 0 and lo == 0:
        line += f" ({'left' if left['in_form_s'] == 0 else 'right'} side not done)"
    elif hi > 0 and lo < 0.8 * hi:
        weaker = "left" if left["in_form_s"] < right["in_form_s"] else "right"
        line += f" ({weaker} side {100 * (1 - lo / hi):.0f} % shorter)"
    return line


def summary_lines(report: Report) -> list[str]:
    """A short human summary of a report, for the terminal."""
    coverage = f"pose found in {report.pose_coverage * 100:.0f}% of frames" if report.pose_coverage is not None \
        else "rebuilt from its event log"
    if report.video is not None and report.video.frames == 0:
        coverage = "no frame read"
    lines = [f"{report.exercise_name}: {coverage}"]
    if report.message:
        lines.append(report.message)
    if report.judged_note:
        lines.append(report.judged_note)
    if report.hold_note:
        lines.append(report.hold_note)
    if report.view_note:
        lines.append(report.view_note)
    lines += _count_lines(report)
    if report.hold.by_side and report.kind == "hold":
        # A rep exercise's per-side counts are in the reps line; its hold figures are the time at the top.
        lines.append(side_comparison(report.hold.by_side, report.targets))
    counts: dict[str, int] = {}
    words: dict[str, str] = {}
    longest: dict[str, FormWarning] = {}
    for w in report.warnings:
        counts[w.id] = counts.get(w.id, 0) + 1
        words[w.id] = w.cue or w.message.split(":")[0]
        if w.id not in longest or _length(w) > _length(longest[w.id]):
            longest[w.id] = w
    if counts:
        lines.append("form cues: " + "; ".join(f"{words[k]} ({_times(v)}{cue_basis(longest[k], ', longest ')})"
                                               for k, v in counts.items()))
    elif report.judged:
        lines.append("form cues: none")
    if report.not_seen:
        lines.append("not seen: " + ", ".join(f"{part} ({share * 100:.0f} % of the time)"
                                               for part, share in report.not_seen.items()))
    if report.interrupted:
        lines.append("(interrupted: partial result)")
    return lines


def _count_lines(report: Report) -> list[str]:
    """The reps or holds against the target, and the time at the top or in position."""
    reps, hold, target = report.reps, report.hold, report.targets
    per_side = " per side" if target.per_side else ""
    lines = []
    if report.kind == "hold":
        if target.holds:
            lines.append(f"holds: {hold.count} / target {target.holds}{per_side}")
    elif reps.items or target.reps:
        line = f"reps: {reps.count}" + (f" / target {target.reps}{per_side}" if target.reps else "")
        if reps.by_side:
            line += f" (left {reps.by_side['left']}, right {reps.by_side['right']})"
        if reps.partial:
            line += f", and {reps.partial} partial"
        lines.append(line)
    if report.kind == "reps":
        # For reps, "hold" is the time at the top of each rep: the same figure as the reps table's.
        complete = [r for r in reps.items if r.complete]
        if complete:
            tops = [r.hold_s for r in complete]
            line = f"at the top: {sum(tops) / len(tops):.1f} s a rep on average, longest {max(tops):.1f} s"
            if target.hold_s:
                held = sum(1 for r in complete if r.held)
                line += f"; held {target.hold_s:g} s as asked: {held} of {counted(len(complete), 'rep')}"
            if target.lower_s:
                slowly = sum(1 for r in complete if r.lowered_slowly)
                line += f"; lowered slowly: {slowly} of {counted(len(complete), 'rep')}"
            lines.append(line)
    if report.kind == "reps" and reps.items and report.judged:
        asked = max((r.checks for r in reps.items), key=len)       # a partial rep's hold and pace are not judged
        lines.append(f"each rep's score ({', '.join(CHECK_WORDS[name][0] for name, _ in asked)}): "
                     + " ".join(f"{r.score[0]}/{r.score[1]}" for r in reps.items))
    elif hold.total_s == 0 and report.warnings:
        lines.append("hold: none (in the position at moments, never still there: a hold is staying still); "
                     "the form cues are from those moments")
    else:
        line = (f"hold: {hold.in_form_s:.1f} s in good form of {hold.total_s:.1f} s in position, "
                f"longest {hold.longest_s:.1f} s")
        lines.append(line + (f" (target {target.hold_s:g} s per hold)" if target.hold_s else ""))
    return lines



def rep_score_line(rep: RepItem, cues: dict[str, str]) -> str:
    """A finished rep's score as the screen shows it: "Rep 3: 3 of 4, top too short" (``cues`` maps
    warning ids to their words: a cued rep says which)."""
    passed, judged = rep.score
    missed = [_lower_first(cues.get(rep.warnings[0], CHECK_WORDS[name][1])) if name == "form" and rep.warnings
              else CHECK_WORDS[name][1] for name, ok in rep.checks if ok is False]
    name = f"Rep {rep.index}" if rep.complete else f"Rep {rep.index} (partial, not counted)"
    return f"{name}: {passed} of {judged}" + (f", {', '.join(missed)}" if missed else ", all good")


def _lower_first(words: str) -> str:
    return words[:1].lower() + words[1:]


def _length(w: FormWarning) -> float:
    return (w.end_s if w.end_s is not None else w.start_s) - w.start_s


def cue_basis(w: FormWarning, lead: str = "") -> str:
    """What a cue rests on, in words: "hip line 22 deg against a limit of 15, for 14.3 s" ("" if unknown)."""
    if w.metric is None or w.value is None or w.limit is None:
        return ""
    places = 0 if w.unit == "deg" else 2
    return (f"{lead}{w.metric.replace('_', ' ')} {w.value:.{places}f} {w.unit or ''} against a limit of "
            f"{w.limit:.{places}f}, for {_length(w):.1f} s").replace("  ", " ")


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def end_screen_lines(report: Report, cues: dict[str, str]) -> list[str]:
    """The end-of-session screen, in a few big lines: the count or the hold against the target, the
    share in good form, the most frequent cue (``cues`` maps warning ids to their words)."""
    if report.message:
        return [report.message]
    if not report.judged:
        return [report.judged_note or "Nothing was judged"]
    lines = []
    target, reps, hold = report.targets, report.reps, report.hold
    if report.kind == "reps":
        line = f"Reps: {reps.count}" + (f" of {target.reps}" if target.reps else "")
        if reps.by_side:
            per = f" of {target.reps}" if target.reps else ""
            line = f"Reps: left {reps.by_side['left']}{per}, right {reps.by_side['right']}{per}"
        if reps.partial:
            line += f" (+ {reps.partial} partial)"
        lines.append(line)
        if reps.items:
            clean = sum(1 for item in reps.items if item.good)
            lines.append(f"In good form: {clean} of {counted(len(reps.items), 'rep')}")
            complete = [r for r in reps.items if r.complete]
            if target.hold_s and complete:
                held = sum(1 for r in complete if r.held)
                lines.append(f"Held {target.hold_s:g} s at the top: {held} of {counted(len(complete), 'rep')}")
            if target.lower_s and complete:
                slowly = sum(1 for r in complete if r.lowered_slowly)
                lines.append(f"Lowered slowly: {slowly} of {counted(len(complete), 'rep')}")
    else:
        goal = f" of {target.hold_s:g} s" if target.hold_s else ""
        lines.append(f"Held {hold.in_form_s:.0f} s in good form{goal}"
                     + (f" ({hold.count} holds)" if hold.count > 1 else ""))
        if hold.total_s > 0:
            lines.append(f"In good form: {100 * hold.in_form_s / hold.total_s:.0f} % of the time in position")
    counts: dict[str, int] = {}
    for w in report.warnings:
        counts[w.id] = counts.get(w.id, 0) + 1
    if counts:
        top = max(counts, key=lambda k: counts[k])
        lines.append(f"Most frequent cue: {cues.get(top, top)} ({_times(counts[top])})")
    elif (reps.count and all(r.good and r.held is not False and r.lowered_slowly is not False for r in reps.items)) \
            or (report.kind == "hold" and hold.in_form_s > 0):
        lines.append("No form cues: well done")
    elif reps.count:
        lines.append("No form cues")
    else:
        lines.append("No form cues, and nothing counted")
    if report.judged_note:
        lines.append(report.judged_note)
    if report.hold_note:
        lines.append(HOLD_NOTE_SHORT)           # read from the mat: the report says what and how long
    return lines


def clock(seconds: float) -> str:
    """ "1:05": minutes and seconds into a recording."""
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def part_line(part: WorkoutPart) -> str:
    """ "0:02-0:18 Glute bridge: 8 reps, no form cues": one exercise of a workout, in words."""
    report = part.report
    if report.kind == "reps":
        done = counted(report.reps.count, "rep") + (f" (+ {report.reps.partial} partial)" if report.reps.partial else "")
    else:
        done = f"{report.hold.total_s:.1f} s held ({report.hold.in_form_s:.1f} s in good form)"
    cues = sorted({w.cue or w.message.split(":")[0] for w in report.warnings})
    said = ("cues: " + "; ".join(cues)) if cues else ("no form cues" if report.judged else "form not judged")
    return f"{clock(part.start_s)}-{clock(part.end_s)} {part.exercise_name}: {done}, {said}"


def workout_lines(report: WorkoutReport) -> list[str]:
    """The terminal summary of a recording analysed without naming the exercise."""
    name = report.video.name if report.video else "the recording"
    if not report.parts:
        return [f"{name}: no exercise of the catalogue recognised (nothing counted as reps or a hold)"]
    lines = [f"{name}: {counted(len(report.parts), 'exercise')} recognised, in order"]
    lines += [f"  {part_line(part)}" for part in report.parts]
    if report.interrupted:
        lines.append("(interrupted: partial result)")
    return lines
