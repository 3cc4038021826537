"""Accuracy of the coach against labelled clips: counts, holds, warnings, phantom activity.

Truth comes from two kinds of labels:

* synthetic clips (`coach synth`): ``clip.json`` beside ``clip.mp4`` holds the
  exact expected report;
* the real clips of ``../shared/videos/labels.json``: free-text labels, read
  into numbers by :data:`REAL_LABELS` where they are clear (vague ones are
  left out rather than guessed).

Scores (RepCount-A style for counts): exact-count rate, off-by-one rate, mean
absolute count error divided by the true count; hold error in seconds and per
cent; warning precision, recall and F1 per warning id, a warning matching a
labelled one of the same id when their time spans overlap; and phantom
activity on negative controls (any rep or hold is an error there).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Real clip -> (spec, reps or None, hold seconds or None, warning ids or None). None = label too vague.
REAL_LABELS: dict[str, tuple[str, int | None, float | None, set[str] | None]] = {
    "plank/gymnai_forearm_plank.mp4": ("plank", None, 8.0, set()),
    "plank/kaiakol_plank_correct_005.mp4": ("plank", None, 6.5, set()),
    "plank/kaiakol_plank_correct_006.mp4": ("plank", None, 3.3, {"hips_piked"}),
    "glute_bridge/malik_butt_bridge_tutorial.mp4": ("bridge", 8, None, set()),
    "glute_bridge/pal_frog_pump.mp4": ("bridge", 8, None, set()),
    "bird_dog/gymnai_bird_dog_overlay.mp4": ("bird_dog", 1, None, set()),
    "side_plank/pal_side_plank_straight_arm.mp4": ("side_plank", None, 10.0, set()),
    "downward_dog/ankith_downward_dog.mp4": ("downward_dog", None, 8.0, set()),
    "cat_cow/trajnovd_cat_cow.mp4": ("cat_cow", 1, None, set()),
}
#: Negative controls: analysed with every spec, they must give no rep and no hold.
REAL_CONTROLS = ("pushup_control/mrpose_pushup_with_trainer.mp4", "squat_control/nikan_squat_side.mp4")


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
    from coach.specs import builtin_spec_paths

    from coach.specs import find_spec

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
        kind = find_spec(labels["exercise"]).kind
        # A hold exercise's "reps" are its holds (a stretch held three times).
        cases.append(Case(name=video.name, video=video, exercise=labels["exercise"],
                          reps=exp["reps"] if kind == "reps" else exp.get("holds", exp["reps"]),
                          by_side=exp["by_side"],
                          hold_s=exp["hold_s"] if kind == "hold" else None,
                          warnings=exp["warnings"],
                          extra={"camera_height_m": labels.get("scene", {}).get("camera", {}).get("height_m")}))
    return cases


def real_cases(labels_json: Path) -> list[Case]:
    """The real clips whose labels are clear enough, and the controls with every spec."""
    from coach.specs import builtin_spec_paths

    root = labels_json.parent
    known = {v["file"] for v in json.loads(labels_json.read_text())["videos"]}
    cases = []
    for file, (exercise, reps, hold, warnings) in REAL_LABELS.items():
        if file in known:
            cases.append(Case(name=Path(file).name, video=root / file, exercise=exercise, reps=reps, hold_s=hold,
                              warnings=[{"id": w, "start_s": None, "end_s": None} for w in warnings]
                              if warnings is not None else None))
    for file in REAL_CONTROLS:
        if file in known:
            for exercise in builtin_spec_paths():
                cases.append(Case(name=Path(file).name, video=root / file, exercise=exercise,
                                  reps=0, hold_s=0.0, warnings=[], control=True))
    return cases


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("start_s") is None or b.get("start_s") is None:
        return True                      # the label gives no time span: the id decides
    return a["start_s"] <= b["end_s"] and b["start_s"] <= a["end_s"]


def counted(report: dict[str, Any]) -> int:
    """What a report counts: reps, or holds for a hold exercise."""
    return report["hold"]["count"] if report.get("kind") == "hold" else report["reps"]["count"]


def counted_by_side(report: dict[str, Any]) -> dict[str, int] | None:
    if report.get("kind") == "hold":
        sides = report["hold"].get("by_side")
        return {s: v["holds"] for s, v in sides.items()} if sides else None
    return report["reps"]["by_side"]


def score(cases: list[Case], reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate scores over analysed cases (``reports[i]`` belongs to ``cases[i]``)."""
    count_cases = [(c, r) for c, r in zip(cases, reports) if c.reps is not None and not c.control]
    errors = [abs(counted(r) - c.reps) for c, r in count_cases]
    side_cases = [(c, r) for c, r in count_cases if c.by_side and counted_by_side(r)]
    side_errors = sum(1 for c, r in side_cases if counted_by_side(r) != c.by_side)
    holds = [(c, r) for c, r in zip(cases, reports) if c.hold_s is not None and not c.control]
    hold_err = [abs(r["hold"]["total_s"] - c.hold_s) for c, r in holds]
    per_id: dict[str, dict[str, int]] = {}
    for c, r in zip(cases, reports):
        if c.warnings is None:
            continue
        truth = list(c.warnings)
        got = list(r["warnings"])
        for wid in {w["id"] for w in truth} | {w["id"] for w in got}:
            t = [w for w in truth if w["id"] == wid]
            g = [w for w in got if w["id"] == wid]
            counts = per_id.setdefault(wid, {"tp": 0, "fp": 0, "fn": 0})
            counts["tp"] += sum(1 for w in g if any(_overlaps(w, x) for x in t))
            counts["fp"] += sum(1 for w in g if not any(_overlaps(w, x) for x in t))
            counts["fn"] += sum(1 for x in t if not any(_overlaps(w, x) for w in g))
    warnings = {}
    for wid, n in sorted(per_id.items()):
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
        "count_mae_normalised": (sum(e / max(c.reps, 1) for e, (c, _) in zip(errors, count_cases)) / len(errors))
        if errors else None,
        "hold_clips": len(holds),
        "hold_mean_abs_error_s": sum(hold_err) / len(hold_err) if hold_err else None,
        "hold_mean_abs_error_pct": (sum(e / c.hold_s for e, (c, _) in zip(hold_err, holds) if c.hold_s) /
                                    max(1, sum(1 for c, _ in holds if c.hold_s)) * 100) if hold_err else None,
        "warnings": warnings,
        "controls": len(controls),
        "phantom_controls": sum(1 for _, r in controls if counted(r) or r["reps"]["partial"]
                                or r["hold"]["total_s"] > 0),
    }


def _fmt(value: Any, pct: bool = False) -> str:
    if value is None:
        return "-"
    if pct:
        return f"{value * 100:.0f} %"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def markdown(cases: list[Case], reports: list[dict[str, Any]], scores: dict[str, Any]) -> str:
    """The per-clip table and the totals, as Markdown."""
    lines = ["| clip | spec | reps (holds) truth / got | hold truth / got s | warnings truth / got |", "|---|---|---|---|---|"]
    for c, r in zip(cases, reports):
        reps = f"{_fmt(c.reps)} / {counted(r)}" + (f" +{r['reps']['partial']}p" if r["reps"]["partial"] else "")
        sides = counted_by_side(r)
        if sides:
            reps += f" (L{sides['left']} R{sides['right']})"
        hold = f"{_fmt(c.hold_s)} / {r['hold']['total_s']:.1f}"
        truth_w = "-" if c.warnings is None else (", ".join(sorted({w["id"] for w in c.warnings})) or "none")
        got_w = ", ".join(sorted({w["id"] for w in r["warnings"]})) or "none"
        lines.append(f"| {c.name}{' (control)' if c.control else ''} | {c.exercise} | {reps} | "
                     f"{hold} | {truth_w} / {got_w} |")
    s = scores
    lines += ["", f"- counts ({s['count_clips']} clips): exact {_fmt(s['exact_count_rate'], True)}, "
                  f"off by at most one {_fmt(s['off_by_one_rate'], True)}, "
                  f"mean absolute error / true count {_fmt(s['count_mae_normalised'])}; "
                  f"per-side counts exact on {_fmt(s['side_exact_rate'], True)} of {s['side_clips']} one-sided clips",
              f"- holds ({s['hold_clips']} clips): mean absolute error {_fmt(s['hold_mean_abs_error_s'])} s "
              f"({_fmt(s['hold_mean_abs_error_pct'])} %)",
              f"- controls: {s['phantom_controls']} of {s['controls']} with phantom reps or holds", "",
              "| warning | tp | fp | fn | precision | recall | F1 |", "|---|---|---|---|---|---|---|"]
    for wid, w in s["warnings"].items():
        lines.append(f"| {wid} | {w['tp']} | {w['fp']} | {w['fn']} | {_fmt(w['precision'])} | "
                     f"{_fmt(w['recall'])} | {_fmt(w['f1'])} |")
    return "\n".join(lines) + "\n"
