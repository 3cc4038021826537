"""The layout's rules, checked on the source (docs/architecture.md draws them)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

COACH = Path(__file__).resolve().parent.parent / "coach"

#: The only modules that may import OpenCV: input, pose, drawing, output, the live window, and the
#: synthetic renderer.
CV2_ALLOWED = {"sources.py", "pose.py", "render.py", "sinks.py", "live.py", "moments.py",
               "synth/generate.py", "synth/render.py"}
#: What the analysis core may import from the coach: itself and the basics.
ANALYSIS_MAY_IMPORT = ("coach.analysis", "coach.specs", "coach.types", "coach.landmarks", "coach.geometry",
                       "coach.smoothing", "coach.errors")
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(COACH.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _name(path: Path) -> str:
    return path.relative_to(COACH).as_posix()


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_only_pose_imports_mediapipe(path):
    uses = any(name == "mediapipe" or name.startswith("mediapipe.") for name in _imports(path))
    assert not uses or _name(path) == "pose.py"


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_only_input_pose_drawing_and_output_import_opencv(path):
    uses = any(name == "cv2" or name.startswith("cv2.") for name in _imports(path))
    assert not uses or _name(path) in CV2_ALLOWED


@pytest.mark.parametrize("path", sorted((COACH / "analysis").glob("*.py")), ids=_name)
def test_the_analysis_core_imports_only_itself_and_the_basics(path):
    coach_imports = {n for n in _imports(path) if n == "coach" or n.startswith("coach.")}
    outside = {n for n in coach_imports if n != "coach" and not n.startswith(ANALYSIS_MAY_IMPORT)
               and not any(n == f"coach.{basic}" for basic in ("landmarks", "geometry"))}
    assert not outside, f"{_name(path)} imports {sorted(outside)}"
    assert not {"cv2", "mediapipe"} & _imports(path)


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_no_function_is_longer_than_80_lines(path):
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, long
