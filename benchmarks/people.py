"""Other people in the picture: does the coach follow the person exercising?

    python3 benchmarks/people.py [--out DIR] [--timelines bridge_demo plank_demo]

Renders each timeline alone and with each scene of
``coach.lab.synth.scene.BYSTANDER_SCENES`` (a person standing beside the mat,
walking through between camera and mat, sitting on the floor beside it), reads
every clip looking for up to 3 people and for 1, and prints reps, hold
seconds and warnings against the clip's labels, with the most people seen.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.app.batch import analyze_video  # noqa: E402
from coach.io.pose import create_estimator  # noqa: E402
from coach.lab.synth.cli import TIMELINES  # noqa: E402
from coach.lab.synth.generate import generate  # noqa: E402
from coach.lab.synth.scene import BYSTANDER_SCENES, with_bystanders  # noqa: E402
from coach.lab.synth.timeline import load_timeline  # noqa: E402
from coach.specs.reader import find_spec  # noqa: E402


def analyse(video: Path, exercise: str, people: int) -> dict:
    estimator = create_estimator(people=people)
    try:
        return analyze_video(video, find_spec(exercise), estimator).report.to_dict()
    finally:
        estimator.close()


def row(name: str, people: int, report: dict, expected: dict) -> str:
    warnings = ", ".join(sorted({w["id"] for w in report["warnings"]})) or "-"
    truth = ", ".join(sorted({w["id"] for w in expected["warnings"]})) or "-"
    return (f"| {name} | {people} | {report['people_seen']} | {report['reps']['count']} / {expected['reps']} | "
            f"{report['hold']['in_form_s']:.1f} / {expected['hold_s']:.1f} | {warnings} / {truth} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the rendered clips here (default: a temporary folder)")
    parser.add_argument("--timelines", nargs="+", default=["bridge_demo", "plank_demo"])
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    print("| clip | --people | people seen | reps / truth | hold s in form / truth | warnings / truth |")
    print("|---|---|---|---|---|---|")
    for name in args.timelines:
        base = load_timeline(TIMELINES / f"{name}.toml")
        for timeline in [base, *(with_bystanders(base, scene) for scene in BYSTANDER_SCENES)]:
            video = out / f"{timeline.name}.mp4"
            labels = generate(timeline, video)
            for people in (3, 1):
                report = analyse(video, labels["exercise"], people)
                print(row(timeline.name, people, report, labels["expected"]), flush=True)


if __name__ == "__main__":
    main()
