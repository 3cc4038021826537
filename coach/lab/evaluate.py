"""Accuracy of the coach against labelled clips: counts, holds, warnings, phantom activity.

Truth comes from two kinds of labels:

* synthetic clips (`coach synth`): ``clip.json`` beside ``clip.mp4`` holds the
  exact expected report;
* the real clips of ``../shared/videos/labels.json``: free-text labels, read
  into numbers in ``real_labels.toml`` where they are clear (vague ones are
  left out rather than guessed).

Scores (RepCount-A style for counts): exact-count rate, off-by-one rate, mean
absolute count error divided by the true count; hold error in seconds and per
cent; warning precision, recall and F1 per warning id, a warning matching a
labelled one of the same id when their time spans overlap; and phantom
activity on negative controls (any rep or hold is an error there).

Form is also scored clip by clip, as a patient meets it (:func:`form_scores`):
for each warning, on how many clips labelled with that error it was given
(caught) and on how many without it (given wrongly), and the share of
good-form clips (labelled with no warning) that got any cue at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.analysis.report import Report
from coach.errors import CoachError

if TYPE_CHECKING:
    from coach.lab.synth.timeline import Timeline
    from coach.specs.model import ExerciseSpec
    from coach.types import Pose

#: Which real clips are scored, and how: see the comments at the top of the file.
REAL_LABELS_FILE = Path(__file__).resolve().parent / "real_labels.toml"


@dataclass
class Case:
    """One clip to analyse with one spec, and what the truth says about it."""

    name: str
    video: Path
    exercise: str
    reps: int | None = None
    by_side: dict[str, int] | None = None
    hold_s: float | None = None
    warnings: list[dict[str, Any]] | None = None     # [{id, start_s, end_s}] or ids only (start/end None)
    control: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def synthetic_cases(folder: Path) -> list[Case]:
    """Every clip with labels in a folder made by `coach synth`, for exercises that have a spec."""
    from coach.specs.reader import builtin_spec_paths, find_spec

    specs = builtin_spec_paths()
    cases = []
    for video in sorted(folder.glob("*.mp4")):
        labels_path = video.with_suffix(".json")
        if not labels_path.is_file():
            continue
        labels = json.loads(labels_path.read_text())
        if labels.get("exercise") not in specs:
            continue
        exp = labels["expected"]
        spec = find_spec(labels["exercise"])
        camera = labels.get("scene", {}).get("camera", {})
        outside = out_of_picture(labels)
        extra = {"camera": _camera_note(camera, outside), "height_m": camera.get("height_m", 0.35),
                 "yaw_deg": abs(camera.get("yaw_deg", 0.0)),
                 "in_picture": not camera.get("crop_shift_m") and outside < 0.05}
        hold_s = None
        if spec.kind == "hold":
            extra["hold_phase_s"] = exp["hold_s"]
            hold_s = exact_hold_s(labels, spec)
            if hold_s is None:
                hold_s = exp["hold_s"]
        # A hold exercise's "reps" are its holds (a stretch held three times).
        cases.append(Case(name=video.name, video=video, exercise=labels["exercise"],
                          reps=exp["reps"] if spec.kind == "reps" else exp.get("holds", exp["reps"]),
                          by_side=exp["by_side"], hold_s=hold_s, warnings=exp["warnings"], extra=extra))
    return cases


def out_of_picture(labels: dict[str, Any]) -> float:
    """The share of a synthetic clip's frames with a true joint outside the picture.

    Cropped scenes are meant to cut the body; a wide camera close by can cut
    a reaching arm or leg too, which the scene does not say.
    """
    cam = labels.get("camera", {})
    width, height = cam.get("width", 480), cam.get("height", 360)
    frames = [f["image_joints"] for f in labels.get("frames", []) if f.get("image_joints")]
    if not frames:
        return 0.0
    out = sum(1 for joints in frames
              if any(not (0 <= x < width and 0 <= y < height) for x, y in joints.values()))
    return out / len(frames)


def _camera_note(camera: dict[str, Any], outside: float = 0.0) -> str:
    """Where a synthetic clip's camera was: "0.63 m, 45 deg, crop" (height; degrees turned off the view
    the spec advises; part of the body out of the picture, by the scene's crop or in N % of frames)."""
    parts = [f"{camera.get('height_m', 0.35):.2f} m", f"{abs(camera.get('yaw_deg', 0.0)):.0f} deg"]
    if camera.get("crop_shift_m"):
        parts.append("crop")
    elif outside >= 0.05:
        parts.append(f"a joint out of the picture in {outside * 100:.0f} % of frames")
    if camera.get("width", 480) < camera.get("height", 360):
        parts.append("portrait")
    return ", ".join(parts)


def _clip_timeline(labels: dict[str, Any], own_camera: bool = False) -> Timeline | None:
    """The built-in timeline a synthetic clip was rendered from, with the clip's body and frame rate
    (and, with ``own_camera``, the clip's camera); None for a timeline that is not built in."""
    import re

    from coach.lab.synth.cli import TIMELINES
    from coach.lab.synth.timeline import load_timeline

    base = re.sub(r"_[aw]\d+_\d+$", "", str(labels.get("timeline", "")))
    path = TIMELINES / f"{base}.toml"
    if not base or not path.is_file():
        return None
    timeline = load_timeline(path)
    timeline.body = labels.get("body", timeline.body)
    timeline.fps = labels.get("fps", timeline.fps)
    if own_camera:
        timeline.camera = dict(labels.get("scene", {}).get("camera", timeline.camera))
    return timeline


def exact_hold_s(labels: dict[str, Any], spec: ExerciseSpec) -> float | None:
    """Seconds the clip's body is truly in the spec's hold position, or a rep exercise's full range
    (None: timeline unknown).

    The timeline's "hold" steps leave out the way in and out, but a body
    lowering itself for 1.5 s into a child's pose is inside the spec's
    position for part of that time: by the spec's own definition it is
    holding. So the truth for a clip is the spec run on the body's exact
    joints, with the same timing and body shape, seen from the timeline's own
    (advised) camera: what remains between it and the coach's figure is what
    the pose model and the clip's camera cost. Timelines that are not built in
    (a user's own file) have no exact truth here, and neither has a body the
    spec fails to time even on its exact joints (that failure must show).
    """
    from coach.analysis.recorder import run_poses
    from coach.lab.synth.exact import exact_poses

    timeline = _clip_timeline(labels)
    if timeline is None:
        return None
    report = run_poses(spec, ((pose, t) for t, pose in exact_poses(timeline)))
    if report.hold.count != labels.get("expected", {}).get("holds"):
        return None        # the spec misses this body even on exact joints: the timeline's figure stands
    return report.hold.total_s


def exact_clip_poses(video: Path) -> Iterator[tuple[Pose, float]]:
    """A synthetic clip's exact joints seen from the clip's own camera: a perfect pose model.

    Scoring these instead of MediaPipe's landmarks splits what goes wrong in
    two: what the camera's height and angle do to 2D angles (left in these)
    and what the pose model adds (gone). The body model has no face or
    fingers: the nose is its head joint, hands and heels are wrists and
    ankles, so head metrics read differently from MediaPipe's.
    """
    from coach.lab.synth.exact import exact_poses

    labels_path = video.with_suffix(".json")
    labels = json.loads(labels_path.read_text()) if labels_path.is_file() else {}
    timeline = _clip_timeline(labels, own_camera=True)
    if timeline is None:
        raise CoachError(f"{video}: exact joints need a clip rendered by `coach synth` from a built-in timeline")
    return ((pose, t) for t, pose in exact_poses(timeline))


def real_cases(labels_json: Path, scored: Path = REAL_LABELS_FILE) -> list[Case]:
    """The real clips of ``labels_json`` that ``scored`` reads into numbers, and its controls with every spec."""
    import tomllib

    from coach.specs.reader import builtin_spec_paths

    root = labels_json.parent
    known = {v["file"] for v in json.loads(labels_json.read_text())["videos"]}
    table = tomllib.loads(scored.read_text(encoding="utf-8"))
    cases = []
    for clip in table.get("clip", []):
        if clip["file"] in known:
            warnings = clip.get("warnings")
            cases.append(Case(name=Path(clip["file"]).name, video=root / clip["file"], exercise=clip["spec"],
                              reps=clip.get("reps"), hold_s=clip.get("hold_s"),
                              warnings=[{"id": w, "start_s": None, "end_s": None} for w in warnings]
                              if warnings is not None else None))
    for control in table.get("control", []):
        if control["file"] in known:
            for exercise in builtin_spec_paths():
                cases.append(Case(name=Path(control["file"]).name, video=root / control["file"], exercise=exercise,
                                  reps=0, hold_s=0.0, warnings=[], control=True))
    return cases


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("start_s") is None or b.get("start_s") is None:
        return True                      # the label gives no time span: the id decides
    return a["start_s"] <= b["end_s"] and b["start_s"] <= a["end_s"]


def counted(report: Report) -> int:
    """What a report counts: reps, or holds for a hold exercise."""
    return report.hold.count if report.kind == "hold" else report.reps.count


def counted_by_side(report: Report) -> dict[str, int] | None:
    if report.kind == "hold":
        sides = report.hold.by_side
        return {s: int(v["holds"]) for s, v in sides.items()} if sides else None
    return report.reps.by_side


def score(cases: list[Case], reports: list[Report]) -> dict[str, Any]:
    """Aggregate scores over analysed cases (``reports[i]`` belongs to ``cases[i]``)."""
    count_cases = [(c, r) for c, r in zip(cases, reports) if c.reps is not None and not c.control]
    errors = [abs(counted(r) - (c.reps or 0)) for c, r in count_cases]
    side_cases = [(c, r) for c, r in count_cases if c.by_side and counted_by_side(r)]
    side_errors = sum(1 for c, r in side_cases if counted_by_side(r) != c.by_side)
    holds = [(c, r) for c, r in zip(cases, reports) if c.hold_s is not None and not c.control]
    hold_err = [abs(r.hold.total_s - (c.hold_s or 0.0)) for c, r in holds]
    phase_err = [abs(r.hold.total_s - c.extra["hold_phase_s"]) for c, r in holds if "hold_phase_s" in c.extra]
    per_id: dict[str, dict[str, int]] = {}
    for c, r in zip(cases, reports):
        if c.warnings is None:
            continue
        truth = list(c.warnings)
        got: list[dict[str, Any]] = [{"id": w.id, "start_s": w.start_s, "end_s": w.end_s} for w in r.warnings]
        for wid in {w["id"] for w in truth} | {w["id"] for w in got}:
            t = [w for w in truth if w["id"] == wid]
            g = [w for w in got if w["id"] == wid]
            counts = per_id.setdefault(wid, {"tp": 0, "fp": 0, "fn": 0})
            counts["tp"] += sum(1 for w in g if any(_overlaps(w, x) for x in t))
            counts["fp"] += sum(1 for w in g if not any(_overlaps(w, x) for x in t))
            counts["fn"] += sum(1 for x in t if not any(_overlaps(w, x) for w in g))
    total = {k: sum(n[k] for n in per_id.values()) for k in ("tp", "fp", "fn")}
    warnings = {}
    for wid, n in sorted(per_id.items()) + [("all (micro)", total)]:
        precision = n["tp"] / (n["tp"] + n["fp"]) if n["tp"] + n["fp"] else None
        recall = n["tp"] / (n["tp"] + n["fn"]) if n["tp"] + n["fn"] else None
        f1 = (2 * precision * recall / (precision + recall)) if precision and recall else (0.0 if n["tp"] == 0 and (n["fp"] or n["fn"]) else None)
        warnings[wid] = {**n, "precision": precision, "recall": recall, "f1": f1}
    controls = [(c, r) for c, r in zip(cases, reports) if c.control]
    return {
        "clips": len(cases),
        "count_clips": len(count_cases),
        "side_clips": len(side_cases),
        "side_exact_rate": (1 - side_errors / len(side_cases)) if side_cases else None,
        "exact_count_rate": sum(e == 0 for e in errors) / len(errors) if errors else None,
        "off_by_one_rate": sum(e <= 1 for e in errors) / len(errors) if errors else None,
        "count_mae_normalised": (sum(e / max(c.reps or 0, 1) for e, (c, _) in zip(errors, count_cases)) / len(errors))
        if errors else None,
        "hold_clips": len(holds),
        "hold_mean_abs_error_s": sum(hold_err) / len(hold_err) if hold_err else None,
        "hold_mean_abs_error_pct": (sum(e / c.hold_s for e, (c, _) in zip(hold_err, holds) if c.hold_s) /
                                    max(1, sum(1 for c, _ in holds if c.hold_s)) * 100) if hold_err else None,
        "hold_max_abs_error_s": max(hold_err) if hold_err else None,
        "hold_median_abs_error_s": sorted(hold_err)[len(hold_err) // 2] if hold_err else None,
        # The real-clip target: within max(1 s, 10 %) of the label.
        "hold_within_rate": (sum(e <= max(1.0, 0.1 * (c.hold_s or 0.0)) for e, (c, _) in zip(hold_err, holds)) / len(holds))
        if holds else None,
        "hold_phase_mean_abs_error_s": sum(phase_err) / len(phase_err) if phase_err else None,
        "warnings": warnings,
        "controls": len(controls),
        "phantom_controls": sum(1 for _, r in controls if counted(r) or r.reps.partial or r.hold.total_s > 0),
        "form": form_scores(cases, reports),
    }


def form_scores(cases: list[Case], reports: list[Report]) -> dict[str, Any]:
    """Clip-level form figures: per warning id, clips with that error caught and clips without it given it;
    good-form clips (labelled with no warning) given any cue; controls given any cue.

    A cue is counted once a clip whatever its times: a patient told "Lower your hips" once on a
    good plank has been told something wrong.
    """
    judged = [(c, r) for c, r in zip(cases, reports) if c.warnings is not None and not c.control]
    per_id: dict[str, dict[str, int]] = {}
    for c, r in judged:
        truth = {w["id"] for w in c.warnings or []}
        got = {w.id for w in r.warnings}
        for wid in truth | got:
            n = per_id.setdefault(wid, {"with_error": 0, "caught": 0, "without_error": 0, "given": 0})
            if wid in truth:
                n["with_error"] += 1
                n["caught"] += wid in got
            else:
                n["given"] += 1
    for wid, n in per_id.items():
        n["without_error"] = sum(1 for c, _ in judged if wid not in {w["id"] for w in c.warnings or []})
    good = [(c, r) for c, r in judged if not c.warnings]
    controls = [(c, r) for c, r in zip(cases, reports) if c.control]
    errors = sum(n["with_error"] for n in per_id.values())
    return {
        "per_warning": dict(sorted(per_id.items())),
        "errors_labelled": errors,
        "errors_caught": sum(n["caught"] for n in per_id.values()),
        "good_clips": len(good),
        "good_clips_cued": sum(1 for _, r in good if r.warnings),
        "controls_cued": sum(1 for _, r in controls if r.warnings),
        "controls": len(controls),
    }


def _fmt(value: Any, pct: bool = False) -> str:
    if value is None:
        return "-"
    if pct:
        return f"{value * 100:.0f} %"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _form_lines(form: dict[str, Any]) -> list[str]:
    """The clip-level form table: what a patient is told, clip by clip."""
    if not form["per_warning"] and not form["good_clips"]:
        return []
    lines = ["", "| warning (clip by clip) | caught on clips with the error | given on clips without it |",
             "|---|---|---|"]
    for wid, n in form["per_warning"].items():
        lines.append(f"| {wid} | {n['caught']} of {n['with_error']} | {n['given']} of {n['without_error']} |")
    lines += ["", f"- form, clip by clip: labelled errors caught {form['errors_caught']} of {form['errors_labelled']}; "
                  f"good-form clips with any cue {form['good_clips_cued']} of {form['good_clips']}"
                  + (f"; controls with any cue {form['controls_cued']} of {form['controls']}" if form["controls"] else "")]
    return lines


def markdown(cases: list[Case], reports: list[Report], scores: dict[str, Any]) -> str:
    """The per-clip table and the totals, as Markdown."""
    cameras = any("camera" in c.extra for c in cases)
    lines = ["| clip | spec | reps (holds) truth / got | hold truth / got s | warnings truth / got |"
             + (" camera height, turned off the advised view |" if cameras else ""),
             "|---|---|---|---|---|" + ("---|" if cameras else "")]
    for c, r in zip(cases, reports):
        reps = f"{_fmt(c.reps)} / {counted(r)}" + (f" +{r.reps.partial}p" if r.reps.partial else "")
        sides = counted_by_side(r)
        if sides:
            reps += f" (L{sides['left']} R{sides['right']})"
        hold = f"{_fmt(c.hold_s)} / {r.hold.total_s:.1f}"
        truth_w = "-" if c.warnings is None else (", ".join(sorted({w["id"] for w in c.warnings})) or "none")
        got_w = ", ".join(sorted({w.id for w in r.warnings})) or "none"
        lines.append(f"| {c.name}{' (control)' if c.control else ''} | {c.exercise} | {reps} | "
                     f"{hold} | {truth_w} / {got_w} |" + (f" {c.extra.get('camera', '')} |" if cameras else ""))
    s = scores
    lines += ["", f"- counts ({s['count_clips']} clips): exact {_fmt(s['exact_count_rate'], True)}, "
                  f"off by at most one {_fmt(s['off_by_one_rate'], True)}, "
                  f"mean absolute error / true count {_fmt(s['count_mae_normalised'])}; "
                  f"per-side counts exact on {_fmt(s['side_exact_rate'], True)} of {s['side_clips']} one-sided clips",
              f"- holds ({s['hold_clips']} clips): mean absolute error {_fmt(s['hold_mean_abs_error_s'])} s "
              f"({_fmt(s['hold_mean_abs_error_pct'])} %), median {_fmt(s['hold_median_abs_error_s'])} s, "
              f"largest {_fmt(s['hold_max_abs_error_s'])} s, "
              f"within max(1 s, 10 %) on {_fmt(s['hold_within_rate'], True)}"
              + (f"; against the timelines' hold steps alone (the way in and out left out) "
                 f"{_fmt(s['hold_phase_mean_abs_error_s'])} s" if s["hold_phase_mean_abs_error_s"] is not None else ""),
              f"- controls: {s['phantom_controls']} of {s['controls']} with phantom reps or holds", "",
              "| warning | tp | fp | fn | precision | recall | F1 |", "|---|---|---|---|---|---|---|"]
    for wid, w in s["warnings"].items():
        lines.append(f"| {wid} | {w['tp']} | {w['fp']} | {w['fn']} | {_fmt(w['precision'])} | "
                     f"{_fmt(w['recall'])} | {_fmt(w['f1'])} |")
    lines += _form_lines(s["form"])
    if any("yaw_deg" in c.extra for c in cases):
        lines += ["", "| synthetic clips by camera | clips | exact count | off by one | hold error mean / median s "
                      "| warnings F1 (false / missed) |", "|---|---|---|---|---|---|"]
        bands = [("turned 0-20 deg", lambda c: c.extra["yaw_deg"] <= 20),
                 ("turned 20-30 deg", lambda c: 20 < c.extra["yaw_deg"] <= 30),
                 ("turned 30-45 deg", lambda c: c.extra["yaw_deg"] > 30),
                 ("within 30 deg, camera below 0.45 m", lambda c: c.extra["yaw_deg"] <= 30 and c.extra["height_m"] < 0.45),
                 ("within 30 deg, 0.45-0.8 m", lambda c: c.extra["yaw_deg"] <= 30 and 0.45 <= c.extra["height_m"] < 0.8),
                 ("within 30 deg, 0.8 m and higher (a laptop on a table)",
                  lambda c: c.extra["yaw_deg"] <= 30 and c.extra["height_m"] >= 0.8),
                 ("whole body in the picture (not cropped, no joint out in 5 % of frames)",
                  lambda c: c.extra.get("in_picture", True)),
                 ("within 30 deg, whole body in the picture",
                  lambda c: c.extra["yaw_deg"] <= 30 and c.extra.get("in_picture", True))]
        for label, keep in bands:
            chosen = [(c, r) for c, r in zip(cases, reports) if "yaw_deg" in c.extra and keep(c)]
            if not chosen:
                continue
            b = score([c for c, _ in chosen], [r for _, r in chosen])
            w = b["warnings"].get("all (micro)", {"tp": 0, "fp": 0, "fn": 0, "f1": None})
            lines.append(f"| {label} | {len(chosen)} | {_fmt(b['exact_count_rate'], True)} | "
                         f"{_fmt(b['off_by_one_rate'], True)} | {_fmt(b['hold_mean_abs_error_s'])} / "
                         f"{_fmt(b['hold_median_abs_error_s'])} | {_fmt(w['f1'])} ({w['fp']} / {w['fn']}) |")
    return "\n".join(lines) + "\n"
