"""Scoring of `coach eval` on hand-made reports (no video needed)."""

import pytest

from coach.analysis.report import FormWarning, Hold, Report, Reps
from coach.lab.evaluate import Case, markdown, score
from coach.specs.model import Targets


def report(reps=0, partial=0, hold=0.0, warnings=()):
    return Report(exercise="bridge", exercise_name="Bridge", kind="reps", targets=Targets(None, None, None, False),
                  reps=Reps(count=reps, partial=partial), hold=Hold(total_s=hold),
                  warnings=[FormWarning(w["id"], "", "", w["start_s"], w["end_s"]) for w in warnings])


def span(wid, start, end):
    return {"id": wid, "start_s": start, "end_s": end}


def test_count_rates_and_normalised_error():
    cases = [Case("a", None, "bridge", reps=5), Case("b", None, "bridge", reps=4), Case("c", None, "bridge", reps=10)]
    reports = [report(5), report(5), report(7)]
    s = score(cases, reports)
    assert s["exact_count_rate"] == pytest.approx(1 / 3)
    assert s["off_by_one_rate"] == pytest.approx(2 / 3)
    assert s["count_mae_normalised"] == pytest.approx((0 + 1 / 4 + 3 / 10) / 3)


def test_warnings_match_by_id_and_overlapping_span():
    cases = [Case("a", None, "plank", hold_s=10.0, warnings=[span("hips_sagging", 4.0, 7.0)])]
    reports = [report(hold=9.5, warnings=[span("hips_sagging", 4.6, 7.2), span("hips_sagging", 8.5, 9.0),
                                          span("hips_piked", 1.0, 2.0)])]
    s = score(cases, reports)
    assert s["warnings"]["hips_sagging"] == {"tp": 1, "fp": 1, "fn": 0, "precision": 0.5, "recall": 1.0,
                                             "f1": pytest.approx(2 / 3)}
    assert s["warnings"]["hips_piked"]["fp"] == 1 and s["warnings"]["hips_piked"]["f1"] == 0.0
    assert s["hold_mean_abs_error_s"] == pytest.approx(0.5) and s["hold_mean_abs_error_pct"] == pytest.approx(5.0)


def test_controls_count_phantom_activity():
    cases = [Case("push-ups", None, "plank", reps=0, hold_s=0.0, warnings=[], control=True),
             Case("squats", None, "bridge", reps=0, hold_s=0.0, warnings=[], control=True)]
    s = score(cases, [report(hold=2.5), report()])
    assert s["controls"] == 2 and s["phantom_controls"] == 1
    assert s["count_clips"] == 0 and s["exact_count_rate"] is None      # controls are not count clips
    assert "1 of 2 with phantom" in markdown(cases, [report(hold=2.5), report()], s)


def test_all_warnings_together_and_the_hold_tolerance_of_the_real_targets():
    cases = [Case("a", None, "plank", hold_s=10.0, warnings=[span("hips_sagging", 4.0, 7.0)]),
             Case("b", None, "plank", hold_s=30.0, warnings=[]),
             Case("c", None, "plank", hold_s=5.0, warnings=[])]
    reports = [report(hold=10.9, warnings=[span("hips_sagging", 4.6, 7.2)]),
               report(hold=27.5, warnings=[span("hips_piked", 1.0, 2.0)]),     # 2.5 s off 30: within 10 %
               report(hold=3.5)]                                                # 1.5 s off 5: beyond 1 s
    s = score(cases, reports)
    assert s["warnings"]["all (micro)"]["tp"] == 1 and s["warnings"]["all (micro)"]["fp"] == 1
    assert s["warnings"]["all (micro)"]["f1"] == pytest.approx(2 / 3)
    assert s["hold_within_rate"] == pytest.approx(2 / 3)
    assert s["hold_max_abs_error_s"] == pytest.approx(2.5)


def test_synthetic_hold_truth_is_the_exact_bodys_time_in_the_specs_position():
    """The truth counts the part of the way in and out that is inside the spec's position."""
    from coach.lab.evaluate import exact_hold_s
    from coach.lab.synth.cli import TIMELINES
    from coach.lab.synth.timeline import load_timeline
    from coach.specs.reader import find_spec

    timeline = load_timeline(TIMELINES / "childs_pose_demo.toml")
    labels = {"timeline": "childs_pose_demo_w7_1", "body": timeline.body, "fps": timeline.fps,
              "expected": timeline.expected()}
    phase_s = timeline.expected()["hold_s"]
    exact = exact_hold_s(labels, find_spec("childs_pose"))
    ramps = sum(s.seconds for s in timeline.steps if s.phase in ("up", "down"))
    assert phase_s < exact < phase_s + ramps
    assert exact_hold_s({"timeline": "my_own_timeline"}, find_spec("childs_pose")) is None


def test_synthetic_totals_by_camera():
    cases = [Case("a", None, "bridge", reps=1, warnings=[], extra={"yaw_deg": 5, "height_m": 0.3, "camera": "x"}),
             Case("b", None, "bridge", reps=1, warnings=[], extra={"yaw_deg": 40, "height_m": 1.0, "camera": "y"})]
    reports = [report(1), report(0, warnings=[span("back_arched", 1.0, 2.0)])]
    text = markdown(cases, reports, score(cases, reports))
    assert "| turned 0-20 deg | 1 | 100 % |" in text
    assert "| turned 30-45 deg | 1 | 0 % | 100 % |" in text and "0.00 (1 / 0)" in text
    assert "| a | bridge | 1 / 1 | - / 0.0 | none / none | x |" in text


def test_synthetic_clips_with_a_joint_out_of_the_picture_are_told_apart():
    from coach.lab.evaluate import out_of_picture

    inside = {"left_wrist": [10.0, 20.0], "left_knee": [300.0, 200.0]}
    outside = {"left_wrist": [-4.0, 20.0], "left_knee": [300.0, 200.0]}
    labels = {"camera": {"width": 480, "height": 360},
              "frames": [{"image_joints": inside}] * 3 + [{"image_joints": outside}]}
    assert out_of_picture(labels) == pytest.approx(0.25)
    assert out_of_picture({"camera": {}, "frames": [{"image_joints": inside}]}) == 0.0
    cases = [Case("a", None, "bridge", reps=1, warnings=[], extra={"yaw_deg": 5, "height_m": 0.3, "in_picture": True}),
             Case("b", None, "bridge", reps=1, warnings=[], extra={"yaw_deg": 5, "height_m": 0.3, "in_picture": False})]
    text = markdown(cases, [report(1), report(0)], score(cases, [report(1), report(0)]))
    assert "| turned 0-20 deg | 2 | 50 % |" in text
    assert "| within 30 deg, whole body in the picture | 1 | 100 % |" in text


def test_the_wide_corpus_names_built_in_timelines_that_a_spec_scores():
    """benchmarks/wide_corpus.py renders the sets README's figures come from: a renamed timeline must show."""
    import importlib.util
    from pathlib import Path

    from coach.lab.synth.cli import TIMELINES
    from coach.lab.synth.timeline import load_timeline
    from coach.specs.reader import builtin_spec_paths

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "wide_corpus.py"
    module_spec = importlib.util.spec_from_file_location("wide_corpus", path)
    wide = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(wide)
    assert sum(len(names) * variants for names, variants in wide.SETS.values()) == 206
    for names, _ in wide.SETS.values():
        for name in names:
            assert load_timeline(TIMELINES / f"{name}.toml").label in builtin_spec_paths(), name


def test_form_is_scored_clip_by_clip_as_a_patient_meets_it():
    """A cue counts once a clip: caught on the clips with the error, given on those without it."""
    cases = [Case("piked", None, "plank", hold_s=3.0, warnings=[span("hips_piked", None, None)]),
             Case("good", None, "plank", hold_s=8.0, warnings=[]),
             Case("good too", None, "plank", hold_s=8.0, warnings=[]),
             Case("unscored", None, "plank", hold_s=8.0),
             Case("push-ups", None, "plank", reps=0, hold_s=0.0, warnings=[], control=True)]
    reports = [report(warnings=[span("hips_piked", 1.0, 2.0), span("hips_piked", 3.0, 4.0)]),
               report(warnings=[span("hips_piked", 1.0, 2.0), span("hips_sagging", 5.0, 6.0)]),
               report(), report(warnings=[span("hips_sagging", 1.0, 2.0)]), report()]
    form = score(cases, reports)["form"]
    assert form["per_warning"]["hips_piked"] == {"with_error": 1, "caught": 1, "without_error": 2, "given": 1}
    assert form["per_warning"]["hips_sagging"] == {"with_error": 0, "caught": 0, "without_error": 3, "given": 1}
    assert (form["errors_caught"], form["errors_labelled"]) == (1, 1)
    assert (form["good_clips_cued"], form["good_clips"]) == (1, 2)
    assert (form["controls_cued"], form["controls"]) == (0, 1)
    text = markdown(cases, reports, score(cases, reports))
    assert "| hips_piked | 1 of 1 | 1 of 2 |" in text
    assert "labelled errors caught 1 of 1; good-form clips with any cue 1 of 2; controls with any cue 0 of 1" in text
