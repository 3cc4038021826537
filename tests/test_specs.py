import math
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.errors import SpecError
from coach.specs.reader import builtin_spec_paths, find_spec, load_spec, parse_spec

BRIDGE = Path(__file__).resolve().parent.parent / "exercise_specs" / "bridge.toml"


@pytest.mark.parametrize("exercise", ["bridge", "bird_dog", "plank"])
def test_builtin_specs_load(exercise):
    spec = find_spec(exercise)
    assert spec.id == exercise
    assert spec.sources and spec.instructions and spec.camera


def test_every_shipped_spec_is_valid():
    for exercise_id in builtin_spec_paths():
        assert find_spec(exercise_id).id == exercise_id


def _broken(tmp_path, old: str, new: str) -> Path:
    text = BRIDGE.read_text()
    assert old in text, old
    path = tmp_path / "bridge.toml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize("old, new, expected", [
    ('points = ["mid_shoulder", "mid_hip", "mid_knee"]', 'points = ["mid_shoulder", "mid_hip", "mid_kneee"]',
     "metrics.hip_line.points[2]: unknown landmark 'mid_kneee' (did you mean 'mid_knee'?)"),
    ('points = ["mid_shoulder", "mid_hip", "mid_knee"]', 'points = ["mid_shoulder", "Lknee", "mid_knee"]',
     "metrics.hip_line.points[1]: unknown landmark 'Lknee'"),
    ("start_above = -24", "start_abve = -24", "reps.start_abve: unknown key (did you mean 'start_above'?)"),
    ("rest_below = -28", "rest_below = -5", "reps.rest_below: must be lower than reps.start_above (got -5 >= -24)"),
    ("full_at = -3", "full_at = -30", "reps.full_at: must be at least reps.start_above"),
    ("above = 16", "above = nan", "warnings[1].above: expected a finite number, found nan"),
    ("start_above = -24", "start_above = -24\nmin_rep_s = -1", "reps.min_rep_s: expected a number greater than 0"),
    ("rest_rise = 10\n", "rest_rise = 10\nfull_rise = 12\n", "reps.full_rise: must be at least reps.start_rise (got 12 < 18)"),
    ("start_rise = 18\nrest_rise = 10\n", "full_rise = 30\n", "reps.full_rise: needs start_rise and rest_rise"),
    ('metric = "hip_line"\n# Hysteresis', 'metric = "hip_lin"\n# Hysteresis', "reps.metric: unknown metric 'hip_lin' (did you mean 'hip_line'?)"),
    ('kind = "reps"', 'kind = "sets"', "kind: expected one of reps, hold, found 'sets'"),
    ('id = "bridge"', 'id = 7', "id: expected a non-empty string, found 7"),
    ("reps = 5", "reps = 0", "targets.reps: expected a whole number of at least 1"),
    ("reps = 5", "holds = 5", "targets.holds: a reps exercise counts reps: expected targets.reps, found holds"),
    ("lower_s = 0.5", "lower_s = -1", "targets.lower_s: expected a number greater than 0"),
    ('kind = "bend"', 'kind = "eval"', "metrics.hip_line.kind: expected one of"),
    ('id = "hips_low"', 'id = "back_arched"', "warnings[1].id: duplicate warning id 'back_arched'"),
    ('metric = "thigh_rise"\nmin = 15', 'metric = "thigh_ris"\nmin = 15',
     "position[1].if_unseen[0].metric: unknown metric 'thigh_ris' (did you mean 'thigh_rise'?)"),
    ('metric = "thigh_rise"\nmin = 15', 'metric = "thigh_rise"\nmin = 15\nmax_rate = 3',
     "position[1].if_unseen[0].max_rate: unknown key"),
    # What a stand-in cannot tell apart is said of a hold's time; a position's stand-in decides no time.
    ('metric = "thigh_rise"\nmin = 15', 'metric = "thigh_rise"\nmin = 15\ncannot_tell = "x"',
     "position[1].if_unseen[0].cannot_tell: unknown key"),
])
def test_broken_spec_names_file_field_and_expectation(tmp_path, old, new, expected):
    with pytest.raises(SpecError) as info:
        load_spec(_broken(tmp_path, old, new))
    assert "bridge.toml" in str(info.value)
    assert expected in str(info.value)


def test_a_spread_metric_takes_no_points(tmp_path):
    text = (BRIDGE.parent / "cat_cow.toml").read_text()
    path = tmp_path / "cat_cow.toml"
    path.write_text(text.replace('kind = "spread"', 'kind = "spread"\npoints = ["hip"]', 1))
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert "metrics.off_side.points: a spread metric takes no points" in str(info.value)


@pytest.mark.parametrize("old, new, expected", [
    ("max_of_rest = 0.8", "max_of_rest = 1.2", "hold[1].max_of_rest: expected a fraction below 1 beside a 'max', found 1.2"),
    ("max = 0.48 ", "min = 0.1 ", "hold[1].max_of_rest: expected a fraction below 1 beside a 'max', found 0.8 without 'max'"),
    ("[[position]]\nmetric = \"torso_incline\"\n", "[[position]]\nmetric = \"torso_incline\"\nmax_of_rest = 0.5\n",
     "position[0].max_of_rest: unknown key"),
])
def test_a_hold_level_relative_to_the_rest_is_checked(tmp_path, old, new, expected):
    text = (BRIDGE.parent / "spinal_twist.toml").read_text()
    assert old in text, old
    path = tmp_path / "spinal_twist.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert expected in str(info.value)


def test_missing_required_field(tmp_path):
    path = _broken(tmp_path, 'name = "Glute bridge"\n', "")
    with pytest.raises(SpecError, match="bridge.toml: name: missing required field"):
        load_spec(path)


def test_toml_syntax_error_names_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('id = "x"\n[reps\n')
    with pytest.raises(SpecError, match="broken.toml: not valid TOML"):
        load_spec(path)


def test_missing_spec_file():
    with pytest.raises(SpecError, match="spec file not found"):
        load_spec("/nonexistent/spec.toml")


def test_unknown_exercise_suggests_nearest():
    with pytest.raises(SpecError, match="Did you mean 'bridge'"):
        find_spec("bridg")


def test_all_errors_of_a_file_are_reported_at_once(tmp_path):
    text = BRIDGE.read_text().replace("start_above = -24", "start_above = 'high'").replace('"mid_knee"]', '"nee"]')
    path = tmp_path / "bridge.toml"
    path.write_text(text)
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert "reps.start_above" in str(info.value) and "unknown landmark 'nee'" in str(info.value)


def test_a_spec_string_is_never_evaluated(tmp_path):
    path = _broken(tmp_path, 'metric = "hip_line"\n# Hysteresis', 'metric = "__import__(\'os\').system(\'false\')"\n# Hysteresis')
    with pytest.raises(SpecError, match="unknown metric"):
        load_spec(path)


toml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "name", "kind", "view", "metrics", "reps", "hold", "warnings",
                                        "targets", "timing", "position", "camera", "instructions", "x"]),
                       toml_values, max_size=8))
def test_loader_raises_only_spec_errors_on_arbitrary_data(raw):
    try:
        parse_spec(raw, Path("fuzz.toml"))
    except SpecError as exc:
        assert "fuzz.toml" in str(exc)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["start_above", "full_at", "rest_below", "min_rep_s"]),
       st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=4) | st.booleans())
def test_mutated_rep_thresholds_never_crash(field, value):
    raw = tomllib.loads(BRIDGE.read_text())
    raw["reps"][field] = value
    try:
        spec = parse_spec(raw, BRIDGE)
    except SpecError as exc:
        assert f"reps.{field}" in str(exc) or "reps." in str(exc)
    else:
        assert math.isfinite(getattr(spec.reps, field))
        assert spec.reps.rest_below < spec.reps.start_above <= spec.reps.full_at
