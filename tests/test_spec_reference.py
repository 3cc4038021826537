"""docs/specs.md lists exactly the keys and metric kinds the spec reader accepts."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from coach.specs.model import METRIC_KINDS, Timing
from coach.specs.reader import SPEC_KEYS, builtin_spec_paths, find_spec, load_spec

DOC = Path(__file__).resolve().parent.parent / "docs" / "specs.md"
HEADINGS = {"Top level": "", "`[metrics.NAME]`": "metrics.NAME", "`[[position]]`": "position", "`[[position.if_unseen]]`": "position.if_unseen",
            "`[[hold]]`": "hold", "`[reps]`": "reps", "`[[warnings]]`": "warnings",
            "`[[warnings.only_if]]`": "warnings.only_if", "`[targets]`": "targets", "`[timing]`": "timing"}


def _sections() -> dict[str, list[str]]:
    """Heading -> the first-column cells of the tables under it."""
    out: dict[str, list[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"#+ (.+)", line)
        if heading:
            current = heading.group(1).strip()
            out.setdefault(current, [])
        elif current and line.startswith("| `"):
            out[current].append(line.split("|")[1].strip().strip("`"))
    return out


@pytest.mark.parametrize("heading, table", HEADINGS.items())
def test_every_key_of_every_table_is_documented_and_nothing_else(heading, table):
    assert set(_sections()[heading]) == set(SPEC_KEYS[table])


def test_every_metric_kind_is_documented():
    assert set(_sections()["Metric kinds"]) == set(METRIC_KINDS)


def test_the_timing_keys_are_the_timing_fields():
    assert SPEC_KEYS["timing"] == {f.name for f in fields(Timing)}


def test_the_example_in_the_reference_is_a_valid_spec(tmp_path):
    example = re.search(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    path = tmp_path / "my_bridge.toml"
    path.write_text(example)
    spec = load_spec(path)
    assert spec.reps is not None and spec.warnings[0].cue == "Lift your hips"


def test_every_builtin_warning_has_a_short_cue():
    for exercise in builtin_spec_paths():
        for warning in find_spec(exercise).warnings:
            assert warning.cue and len(warning.cue) <= 32 and ":" not in warning.cue, (exercise, warning.id)
