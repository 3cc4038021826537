"""What each ``coach`` command does, one function per command: the command line (``coach.cli``)
parses, calls one of these with its arguments, and turns a :class:`~coach.errors.CoachError` into
a message and an exit code. Each prints what a person reads and returns the exit code.

The stages' modules are imported inside the commands: ``coach --help`` and ``coach history``
do not load OpenCV or the pose model.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from coach.errors import CameraError, CoachError, OutputError
from coach.io.people import MAX_PEOPLE

__all__ = ["MAX_PEOPLE", "add_synth_parser", "analyze", "cameras", "eval_clips", "exercises", "history", "live",
           "recover_cut_off_sessions", "routine", "synth"]


def add_synth_parser(sub: Any) -> None:
    """``coach synth``'s options (the synthetic-video generator's, in coach.lab)."""
    from coach.lab.synth.cli import add_synth_parser as add

    add(sub, synth)


def _data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "coach"


class _ProgressBar:
    """Progress on stderr: a redrawn bar on a terminal, a line every 10 % otherwise."""

    def __init__(self, label: str, enabled: bool = True) -> None:
        self.label = label
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()
        self._last_decile = -1
        self._last_draw = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 60:
            return
        share = min(1.0, done / total)
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        if self.tty:
            if time.monotonic() - self._last_draw < 0.2 and done < total:
                return
            self._last_draw = time.monotonic()
            bar = "#" * int(share * 30)
            sys.stderr.write(f"\r{self.label} [{bar:<30}] {share * 100:3.0f}% {done}/{total} frames {rate:5.1f} fps")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()
        elif int(share * 10) > self._last_decile:
            self._last_decile = int(share * 10)
            print(f"{self.label}: {share * 100:3.0f}% ({done}/{total} frames, {rate:.1f} fps)", file=sys.stderr)

    def done(self) -> None:
        if self.enabled and self.tty:
            sys.stderr.write("\n")


def _history_path() -> Path:
    return Path(os.environ.get("COACH_HISTORY") or _data_dir() / "history.sqlite")


def _live_mode(args: argparse.Namespace, mode: str = "live") -> str:
    """How a live session is filed in the history: a recording played as the camera says so."""
    return mode if str(args.camera).isdigit() else f"{mode}, from a video file"


def _history(args: argparse.Namespace) -> Path | None:
    """The history file sessions go to, unless --no-history."""
    return None if args.no_history else _history_path()


def _warn(problems: list[str]) -> None:
    for problem in problems:
        print(f"coach: warning: {problem}", file=sys.stderr)


def history(args: argparse.Namespace) -> int:
    from coach.app.history_view import HistoryAsk, show_history

    path = Path(args.db) if args.db else _history_path()
    for line in show_history(HistoryAsk(path, args.exercise, args.days, args.plot, args.html, args.json)):
        print(line)
    return 0


def _print_summary(report: Any) -> None:
    from coach.output.text import summary_lines

    for line in summary_lines(report):
        print(line)


def _analyze_many(args: argparse.Namespace) -> int:
    """Several videos (or folders of them): a report each and a summary, spread over the cores."""
    from coach.app.many import analyze_many, collect, write_summary
    from coach.specs.reader import find_spec

    if not args.out:
        raise CoachError("several videos need --out DIR, the folder for their reports and the summary")
    if args.exercise is None:
        raise CoachError("several videos need the exercise (-e ID); one video without it is analysed as a workout")
    find_spec(args.exercise)                        # a bad spec is reported before any work
    videos = collect(args.videos)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot make the folder {out}: {exc.strerror or exc}") from None
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)

    def done(outcome: Any, finished: int, total: int) -> None:
        what = f"{outcome.report.reps.count} reps, {outcome.report.hold.total_s:.1f} s held" \
            if outcome.report else f"error: {outcome.error}"
        if not args.quiet:
            print(f"[{finished}/{total}] {outcome.video.name}: {what}", file=sys.stderr, flush=True)

    outcomes = analyze_many(videos, args.exercise, out, min(workers, len(videos)), args.model, args.people, done,
                            cluster=args.cluster)
    write_summary(outcomes, out)
    from coach.output.write import record_history

    history = _history(args)
    if history is not None:
        _warn(record_history(history, [(o.report, out / f"{o.video.stem}.json") for o in outcomes if o.report],
                             "video", args.keep_both))
    failed = [o for o in outcomes if o.report is None]
    print(f"{len(outcomes) - len(failed)} of {len(outcomes)} videos analysed; reports, summary.csv and "
          f"index.html in {out}")
    return failed[0].exit_code if failed else 0


def analyze(args: argparse.Namespace) -> int:
    if args.out or len(args.videos) > 1:
        return _analyze_many(args)
    args.video = args.videos[0]
    if Path(args.video).is_dir():
        from coach.errors import VideoError

        raise VideoError(f"{args.video} is a folder: to analyse every video in it, add --out DIR for the reports")
    if args.exercise is None:
        return _analyze_workout(args)
    from coach.app.batch import analyze_video
    from coach.io.sources import VideoFile
    from coach.output.sinks import check_writable
    from coach.output.write import Outputs, write_outputs
    from coach.specs.reader import find_spec

    spec = find_spec(args.exercise)
    for path in (args.report, args.annotated, args.highlights, args.events, args.html,
                 args.csv and f"{args.csv}.frames.csv"):
        check_writable(path)
    with VideoFile(args.video) as video:   # a bad file is reported before the model loads
        info = video.info
    estimator = _analysis_estimator(args, info.frames, info.fps)
    progress = _ProgressBar(Path(args.video).name, enabled=not args.quiet)
    try:
        done = analyze_video(args.video, spec, estimator, annotated=args.annotated, events=args.events,
                             progress=progress, max_frames=args.max_frames, pictures=bool(args.html),
                             highlights=args.highlights)
    finally:
        estimator.close()
    report = done.report
    if report.interrupted:
        progress.done()
    _warn(write_outputs(done, Outputs(json=args.report, html=args.html, csv=args.csv, history=_history(args),
                                      keep_earlier=args.keep_both)))
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        _print_summary(report)
        if args.report:
            print(f"report: {args.report}")
        if args.annotated:
            print(f"annotated video: {args.annotated}")
        if args.highlights:
            print(f"highlights: {args.highlights}")
        if args.html:
            print(f"HTML report: {args.html}")
        if args.csv:
            print(f"CSV: {args.csv}.frames.csv, {args.csv}.reps.csv, {args.csv}.holds.csv")
    return 130 if report.interrupted else 0      # what was read is saved, but the job is not done


def _analyze_workout(args: argparse.Namespace) -> int:
    """``coach analyze VIDEO`` without ``-e``: the exercises the recording shows, each analysed alone."""
    from coach.app.batch import analyze_workout
    from coach.io.sources import VideoFile
    from coach.output.html import write_workout_html
    from coach.output.sinks import check_writable, write_json_atomic
    from coach.output.text import workout_lines
    from coach.output.write import record_history
    from coach.specs.reader import builtin_spec_paths, find_spec

    asked = [name for name, value in (("--annotated", args.annotated), ("--highlights", args.highlights),
                                      ("--csv", args.csv), ("--events", args.events)) if value]
    if asked:
        raise CoachError(f"{', '.join(asked)} need the exercise (-e ID): without it the coach finds the exercises "
                         "itself and writes their report (--report) and page (--html)")
    for path in (args.report, args.html):
        check_writable(path)
    with VideoFile(args.video) as video:   # a bad file is reported before the model loads
        info = video.info
    specs = [find_spec(exercise) for exercise in builtin_spec_paths()]
    estimator = _analysis_estimator(args, info.frames, info.fps)
    progress = _ProgressBar(Path(args.video).name, enabled=not args.quiet)
    try:
        report = analyze_workout(args.video, specs, estimator, progress=progress, max_frames=args.max_frames)
    finally:
        estimator.close()
    if args.report:
        write_json_atomic(args.report, report.to_dict())
    if args.html:
        write_workout_html(args.html, report)
    history = _history(args)
    if history is not None and report.parts:
        _warn(record_history(history, [(part.report, args.report) for part in report.parts], "video",
                             args.keep_both))
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        for line in workout_lines(report):
            print(line)
        if args.report:
            print(f"report: {args.report}")
        if args.html:
            print(f"HTML report: {args.html}")
    return 130 if report.interrupted else 0


def _analysis_estimator(args: argparse.Namespace, frames: int, fps: float) -> Any:
    """The pose model in this process, or one per worker process on segments of a long video."""
    from coach.io.parallel import ParallelPoses, worth_it
    from coach.io.pose import create_estimator

    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise CoachError(f"--workers must be at least 1, got {workers}")
    limit = args.max_frames if args.max_frames is not None else frames
    if worth_it(min(frames, limit), fps, workers):
        return ParallelPoses(args.video, min(frames, limit), fps, workers, args.model, args.people,
                             to_the_end=limit >= frames)
    return create_estimator(args.model, people=args.people)


def _default_report(name: str) -> str:
    """Where a live session's report goes unless --report says otherwise."""
    sessions = _data_dir() / "sessions"
    sessions.mkdir(parents=True, exist_ok=True)
    return str(sessions / f"{name}-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json")


def _run_live_program(args: argparse.Namespace, program: Any, save: Any):
    """The live window for one exercise or a routine, with the options `live` and `routine` share."""
    from coach.app.live import run_live
    from coach.io.pose import create_estimator

    camera: int | str = int(args.camera) if str(args.camera).isdigit() else args.camera
    if isinstance(camera, str) and not Path(camera).is_file():
        # Said before the safety text, which would otherwise bury it.
        raise CameraError(f"--camera {camera}: no such camera index or video file")
    estimator = create_estimator(args.model, people=args.people)
    _print_safety()
    try:
        return run_live(program, camera, estimator, display=not args.no_display, mirror=args.mirror,
                        max_seconds=args.max_seconds, screenshot=args.screenshot,
                        setup_check=not args.no_setup_check, voice=_voice(args), save=save,
                        full_screen=not args.windowed)
    finally:
        estimator.close()


def _require_display(args: argparse.Namespace) -> None:
    """No screen for the window: say so before the model loads or any file is made."""
    from coach.app.live import require_display

    if not args.no_display:
        require_display()


def _voice(args: argparse.Namespace):
    """A voice unless --no-voice, or when --voice is not given and no speech engine is installed."""
    from coach.output.voice import Voice, speech_engine

    if args.voice is False or (args.voice is None and speech_engine() is None):
        return None
    voice = Voice()
    print(f"voice: {voice.engine} (m mutes, --no-voice turns it off)")
    return voice


def _print_safety() -> None:
    from coach.output.safety import SAFETY_LINES

    print("Safety: " + "\n        ".join(SAFETY_LINES) + "\n")


def live(args: argparse.Namespace) -> int:
    from coach.app.live import SingleExercise
    from coach.app.recovery import link_into, unlink
    from coach.output.sinks import check_writable
    from coach.output.write import Outputs, write_outputs
    from coach.specs.reader import find_spec

    if args.exercise is None:
        return _follow(args)
    spec = find_spec(args.exercise)
    _require_display(args)
    args.report = args.report or _default_report(spec.id)
    events = args.events or str(Path(args.report).with_suffix(".events.jsonl"))
    for path in (args.report, events, args.screenshot):
        check_writable(path)
    header = {**_session_header(args), "exercise": args.exercise, "report": str(Path(args.report).resolve())}
    program = SingleExercise(spec, events, header)

    def save(result: Any) -> str:
        _warn(write_outputs(result.exercises[0], Outputs(json=args.report, html=html, csv=Path(args.report).with_suffix(""),
                                                         history=_history(args), mode=_live_mode(args))))
        return str(Path(html).resolve())

    html = str(Path(args.report).with_suffix(".html"))
    link = link_into(_data_dir() / "sessions", Path(events))     # cut off, it is rebuilt where asked
    try:
        result = _run_live_program(args, program, save)
    finally:
        unlink(link)
    print(f"session ended: {result.ended_by} ({result.frames} frames, {result.fps:.1f} fps)")
    _print_summary(result.report)
    print(f"report: {args.report} (and .html, .frames.csv, .reps.csv, .holds.csv)\nevents: {events}")
    return 130 if result.ended_by == "interrupted" else 0


def _follow(args: argparse.Namespace) -> int:
    """``coach live`` without ``-e``: follow whatever exercise the person does (coach.app.follow)."""
    from coach.app.follow import FollowMe
    from coach.output.html import write_workout_html
    from coach.output.sinks import check_writable, write_json_atomic
    from coach.output.text import workout_lines
    from coach.output.write import Outputs, write_outputs
    from coach.specs.reader import builtin_spec_paths, find_spec

    _require_display(args)
    args.report = args.report or _default_report("follow")
    for path in (args.report, args.screenshot):
        check_writable(path)
    program = FollowMe([find_spec(exercise) for exercise in builtin_spec_paths()])
    args.no_setup_check = True          # the set-up check needs the exercise: the screen says what it sees
    print("Following you: start an exercise and the coach finds which it is (n: not this one). "
          "Not kept if the session is cut off hard.")

    def save(result: Any) -> str:
        write_json_atomic(args.report, result.report.to_dict())
        page = Path(args.report).with_suffix(".html")
        write_workout_html(page, result.report)
        stem = Path(args.report).with_suffix("")
        for done in result.exercises.values():
            name = f"{stem}.{done.spec.id}"
            _warn(write_outputs(done, Outputs(json=f"{name}.json", html=f"{name}.html", history=_history(args),
                                              mode=_live_mode(args))))
        return str(page.resolve())

    result = _run_live_program(args, program, save)
    print(f"session ended: {result.ended_by} ({result.frames} frames, {result.fps:.1f} fps)")
    for line in workout_lines(result.report):
        print(line)
    print(f"report: {args.report} (and .html, a report and page per exercise)")
    return 130 if result.ended_by == "interrupted" else 0


def _session_header(args: argparse.Namespace) -> dict[str, Any]:
    """The first line of a live session's event log: what the camera was and when it started, so a
    session cut off can be rebuilt (``coach.app.recovery``)."""
    camera = str(args.camera)
    return {"source": camera, "name": Path(camera).name if not camera.isdigit() else f"camera {camera}",
            "started_at": {"at": datetime.now().astimezone().isoformat(timespec="seconds"), "from": "clock"}}


def routine(args: argparse.Namespace) -> int:
    from coach.app.recovery import link_into, unlink
    from coach.app.routine_player import RoutinePlayer
    from coach.output.html import write_routine_html
    from coach.output.sinks import check_writable, write_json_atomic
    from coach.output.text import summary_lines
    from coach.output.write import Outputs, write_outputs
    from coach.specs.routine import builtin_routine_paths, describe_target, find_routine

    if args.routine in (None, "list"):
        routines = [find_routine(routine_id) for routine_id in builtin_routine_paths()]
        width = max(len(r.id) for r in routines)
        for routine in routines:
            print(f"{routine.id.ljust(width)}  {routine.name} ({len(routine.items)} exercises)")
        return 0
    routine = find_routine(args.routine)
    if args.show:
        from coach.specs.reader import sources_in_words

        print(f"{routine.name} ({routine.id})" + (f", after {sources_in_words(routine.source)}" if routine.source else ""))
        for i, item in enumerate(routine.items, 1):
            print(f"  {i:2}. {item.spec.name}: {describe_target(item.spec)}, then rest {item.rest_s:g} s")
        return 0
    _require_display(args)
    args.report = args.report or _default_report(f"routine-{routine.id}")
    check_writable(args.report)
    check_writable(args.screenshot)
    events_dir = Path(args.report).resolve().with_suffix(".events")
    player = RoutinePlayer(routine, events_dir, {**_session_header(args), "routine_report": str(Path(args.report).resolve())})

    def save(result: Any) -> str:
        write_json_atomic(args.report, result.report.to_dict())
        if result.exercises:
            events_dir.mkdir(parents=True, exist_ok=True)
        pages = {}
        for index, done in result.exercises.items():      # a report and an HTML page per exercise done
            name = events_dir / player.file_stem(index)
            _warn(write_outputs(done, Outputs(json=name.with_suffix(".json"), html=name.with_suffix(".html"),
                                              history=_history(args), mode=_live_mode(args, "routine"))))
            pages[index] = f"{events_dir.name}/{name.name}.html"
        page = Path(args.report).with_suffix(".html")      # the routine's own page, linking each exercise's
        write_routine_html(page, result.report, pages)
        return str(page.resolve())

    link = link_into(_data_dir() / "sessions", events_dir)
    try:
        result = _run_live_program(args, player, save)
    finally:
        unlink(link)
    print(f"routine ended: {result.ended_by} ({result.frames} frames, {result.fps:.1f} fps)")
    for entry in result.report.exercises:
        if entry.report is None:
            print(f"- {entry.exercise_name}: skipped")
            continue
        lines = summary_lines(entry.report)
        print(f"- {lines[0].split(':')[0]}: " + "; ".join(lines[1:]))
    print(f"report: {args.report} (and {Path(args.report).with_suffix('.html').name}, linking a page per exercise "
          f"in {events_dir})")
    return 130 if result.ended_by == "interrupted" else 0


def exercises(args: argparse.Namespace) -> int:
    from coach.specs.reader import builtin_spec_paths, find_spec

    if args.action == "check":
        return _check_files(args.files)
    if args.action == "show":
        if not args.files:
            raise CoachError("coach exercises show needs an exercise id, e.g. coach exercises show bridge")
        _show_exercise(find_spec(args.files[0]))
        return 0
    specs = [find_spec(exercise_id) for exercise_id in builtin_spec_paths()]
    rows = [(s.id, s.name, _describe_kind(s), f"camera: {s.view}") for s in specs]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3])
    return 0


def _describe_kind(spec: Any) -> str:
    per_side = " per side" if spec.sides != "near" else ""
    return ("reps" if spec.kind == "reps" else "hold") + per_side


def _show_exercise(spec: Any) -> None:
    """An exercise for a person: how to do it, where the camera goes, the cues, the sources."""
    from coach.output.safety import SAFETY_LINES
    from coach.specs.reader import article_title
    from coach.specs.routine import describe_target

    print(f"{spec.name} ({spec.id}): {_describe_kind(spec)}, camera: {spec.view} view")
    print(f"Target: {describe_target(spec)}")
    print("\nHow to do it:\n" + spec.instructions)
    print("\nCamera:\n" + spec.camera)
    if spec.warnings:
        print("\nWhat the coach warns about:")
        for warning in spec.warnings:
            print(f"  - {warning.message}")
    print("\nSources:")
    for source in spec.sources:
        file, _, what = source.partition(" ")
        title = article_title(file)
        print(f"  - {what.strip()} (\"{title}\")" if title else f"  - {source}")
    print("\nSafety:\n  " + "\n  ".join(SAFETY_LINES))


def _check_files(files: list[str]) -> int:
    """Validate spec and routine files: "ok", or every problem with its field; exit 3 if any failed."""
    from coach.specs.reader import load_spec, read_toml
    from coach.specs.routine import load_routine

    if not files:
        raise CoachError("coach exercises check needs one or more spec or routine .toml files")
    failed = 0
    for name in files:
        try:
            # A routine lists its exercises in [[exercise]] tables; anything else is read as a spec.
            is_routine = isinstance(read_toml(Path(name), "spec or routine").get("exercise"), list)
            (load_routine if is_routine else load_spec)(name)
            print(f"{name}: ok ({'routine' if is_routine else 'exercise spec'})")
        except CoachError as exc:
            failed += 1
            print(f"{name}: {exc}")
    return 3 if failed else 0


def cameras(args: argparse.Namespace) -> int:
    from coach.io.sources import probe_cameras

    found = probe_cameras(args.max_index)
    if not found:
        print(f"no camera found at indices 0-{args.max_index}")
        return 5
    for index in found:
        print(f"camera {index}: available")
    return 0


def eval_clips(args: argparse.Namespace) -> int:
    from coach.analysis.recorder import run_poses
    from coach.app.batch import analyze_video, record_trace
    from coach.io.pose import create_estimator
    from coach.io.replay import Trace
    from coach.lab.evaluate import exact_clip_poses, markdown, real_cases, score, synthetic_cases
    from coach.specs.reader import find_spec

    cases = []
    for source in args.labels:
        path = Path(source)
        if path.is_dir():
            cases += synthetic_cases(path)
        elif path.name.endswith(".json") and path.is_file():
            if args.exact_joints:
                raise CoachError(f"{path}: --exact-joints needs synthetic clips, whose exact joints are known")
            cases += real_cases(path)
        else:
            raise CoachError(f"{path}: expected a folder of synthetic clips or a labels.json")
    if not cases:
        raise CoachError("no labelled clips found for the built-in exercises")
    if args.mirror and args.exact_joints:
        raise CoachError("--mirror reads the video's frames mirrored; --exact-joints reads no video")
    if args.markdown:
        from coach.output.sinks import check_writable

        check_writable(args.markdown)
    reports = []
    for i, case in enumerate(cases, 1):
        print(f"[{i}/{len(cases)}] {case.name} ({case.exercise})", file=sys.stderr)
        spec = find_spec(case.exercise)
        if args.exact_joints:
            reports.append(run_poses(spec, exact_clip_poses(case.video)))
            continue
        cached = Path(args.landmarks) / f"{case.video.stem}.npz" if args.landmarks else None
        if cached is not None and cached.is_file():
            trace = Trace(cached)
            reports.append(run_poses(spec, trace.poses()))
            continue
        estimator = create_estimator(args.model, mirrored=args.mirror, people=args.people)
        try:
            if cached is not None:
                reports.append(run_poses(spec, record_trace(case.video, estimator, cached).poses()))
            else:
                reports.append(analyze_video(case.video, spec, estimator).report)
        finally:
            estimator.close()
    text = markdown(cases, reports, score(cases, reports))
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text)
    return 0


def synth(args: argparse.Namespace) -> int:
    from coach.lab.synth.cli import run_synth

    return run_synth(args)


def recover_cut_off_sessions() -> None:
    """Reports of live sessions cut off hard (kill -9, a power cut), rebuilt from their event logs."""
    from coach.app.recovery import recover_sessions
    from coach.output.write import record_history

    try:
        recovered = recover_sessions(_data_dir() / "sessions")
    except (CoachError, OSError):
        return
    for path, report in recovered:
        _warn(record_history(_history_path(), [(report, path)], "live"))
        print(f"coach: a session that was cut off was recovered from its event log: {path}", file=sys.stderr)
