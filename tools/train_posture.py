"""Fit the posture model the exercise recognition ships (``coach/analysis/posture_model.npz``).

Trained only on the project's synthetic clips: the wide corpus's landmark traces (MediaPipe read
the rendered videos; ``benchmarks/wide_corpus.py DIR`` keeps them in ``DIR/traces`` and each
clip's label beside its video in ``DIR/seedN/NAME.json``). Per exercise, every frame of its clips
with a torso seen gives posture features (``coach.analysis.posture``); the model keeps each
feature's median and spread (the half-distance between its quartiles, at least
``MIN_SPREAD``). The real clips are not used: they are what it is measured on.

    python3 tools/train_posture.py /tmp/wide
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np


def main() -> int:
    from coach.analysis.posture import FEATURES, MIN_SPREAD, PostureModel, posture_features
    from coach.io.replay import Trace

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the wide corpus folder (with traces/ and seedN/)")
    parser.add_argument("--out", type=Path, help="where to write the model (default: the shipped one)")
    args = parser.parse_args()
    labels = {p.stem: json.loads(p.read_text())["exercise"] for p in args.corpus.glob("seed*/*.json")}
    rows: dict[str, list[np.ndarray]] = {}
    for trace in sorted((args.corpus / "traces").glob("*.npz")):
        exercise = labels.get(trace.stem)
        if exercise is None:
            continue
        for pose, _ in Trace(trace).poses():
            features = posture_features(pose) if pose is not None else None
            if features is not None:
                rows.setdefault(exercise, []).append(features)
    exercises = tuple(sorted(rows))
    means, spreads = [], []
    for exercise in exercises:
        table = np.array(rows[exercise])
        q1, med, q3 = np.nanpercentile(table, [25, 50, 75], axis=0)
        means.append(med)
        spreads.append(np.maximum((q3 - q1) / 2, MIN_SPREAD))
        print(f"{exercise:28} {len(table):6} frames", file=sys.stderr)
    model = PostureModel(exercises, np.nan_to_num(np.array(means)), np.array(spreads))
    model = PostureModel(exercises, model.means, np.nan_to_num(model.spreads, nan=1.0))
    if args.out:
        model.save(args.out)
    else:
        model.save()
    print(f"{len(exercises)} exercises, {len(FEATURES)} features")
    return 0


if __name__ == "__main__":
    sys.exit(main())
