"""The layout's rules, checked on the source (docs/architecture.md draws them)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

COACH = Path(__file__).resolve().parent.parent / "coach"

#: Where OpenCV may be imported: input, the screen and the files written, the live window, and the
#: synthetic-video renderer.
CV2_ALLOWED = ("io/", "output/overlay.py", "output/moments.py", "output/sinks.py", "app/live.py",
               "lab/synth/generate.py", "lab/synth/draw.py")
BASICS = ("coach.types", "coach.landmarks", "coach.geometry", "coach.smoothing", "coach.errors")
#: Each stage's folder and what it may import from the coach (docs/architecture.md draws the same):
#: the pipeline runs one way, so a stage never imports a later one.
MAY_IMPORT = {
    "basics": BASICS,
    "specs": (*BASICS, "coach.specs"),
    "io": (*BASICS, "coach.io"),
    "analysis": (*BASICS, "coach.specs", "coach.analysis"),
    "output": (*BASICS, "coach.specs", "coach.analysis", "coach.output"),
    # The app runs the lab's commands too (coach eval, coach synth): the lab never imports the app.
    "app": (*BASICS, "coach.specs", "coach.io", "coach.analysis", "coach.output", "coach.lab", "coach.app"),
    "lab": (*BASICS, "coach.specs", "coach.io", "coach.analysis", "coach.lab"),
}
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
    assert not uses or _name(path) == "io/pose.py"


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_only_input_pose_drawing_and_output_import_opencv(path):
    uses = any(name == "cv2" or name.startswith("cv2.") for name in _imports(path))
    assert not uses or _name(path).startswith(CV2_ALLOWED)


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_only_the_video_sink_imports_the_encoder(path):
    """PyAV (H.264 for the annotated video) is an output detail, in one module."""
    uses = any(name == "av" or name.startswith("av.") for name in _imports(path))
    assert not uses or _name(path) == "output/sinks.py"


def _stage(path: Path) -> str | None:
    parts = path.relative_to(COACH).parts
    if len(parts) > 1:
        return parts[0] if parts[0] in MAY_IMPORT else None
    return "basics" if f"coach.{path.stem}" in BASICS else None   # cli, __main__, __init__: the top


@pytest.mark.parametrize("path", [p for p in _modules() if _stage(p)], ids=_name)
def test_each_stage_imports_only_earlier_stages_and_itself(path):
    allowed = MAY_IMPORT[_stage(path) or ""]
    coach_imports = {n for n in _imports(path) if n.startswith("coach.")}
    outside = {n for n in coach_imports if not n.startswith(allowed)}
    assert not outside, f"{_name(path)} ({_stage(path)}) imports {sorted(outside)}"


def test_the_command_line_is_thin_over_the_app():
    """cli.py parses, calls one app function per command and turns errors into exit codes."""
    cli = COACH / "cli.py"
    coach_imports = {n for n in _imports(cli) if n.startswith("coach.")}
    assert not {n for n in coach_imports if not n.startswith(("coach.app", "coach.errors", "coach.__version__"))}
    assert len(cli.read_text().splitlines()) <= 350
    assert "Any" not in cli.read_text()


def test_every_module_belongs_to_a_stage_or_is_the_command_line():
    top = {"cli.py", "__main__.py", "__init__.py"}
    assert all(_stage(p) or _name(p) in top for p in _modules()), [_name(p) for p in _modules() if not _stage(p)]


@pytest.mark.parametrize("path", sorted((COACH / "analysis").glob("*.py")), ids=_name)
def test_the_analysis_core_needs_no_video_library(path):
    assert not {"cv2", "mediapipe", "matplotlib", "av"} & {n.split(".")[0] for n in _imports(path)}


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_no_function_is_longer_than_80_lines(path):
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, long


def test_every_package_travels_in_the_wheel():
    """pyproject.toml lists the packages by hand: a new folder must be added there too."""
    import tomllib

    listed = set(tomllib.loads((COACH.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {".".join(p.parent.relative_to(COACH.parent).parts) for p in COACH.rglob("__init__.py")}
    assert folders <= listed, sorted(folders - listed)


@pytest.mark.parametrize("path", sorted((COACH / "io").rglob("*.py")), ids=_name)
def test_every_public_function_of_io_says_what_it_does(path):
    undocumented = [node.name for node in ast.walk(ast.parse(path.read_text()))
                    if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and not ast.get_docstring(node)]
    assert not undocumented
