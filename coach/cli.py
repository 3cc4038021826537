"""Command line: ``coach analyze``, ``live``, ``routine``, ``exercises``, ``eval``, ``cameras``, ``synth``.

The only module that prints for people or exits: library code raises
:class:`~coach.errors.CoachError` subclasses, turned here into one line on
stderr and the exit code listed in ``coach --help``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence

from coach import __version__
from coach.app import commands
from coach.errors import CoachError

#: The subcommands' parsers (argparse's own type for them).
Subcommands = argparse._SubParsersAction

EXIT_CODES = """exit codes:
  0    the command ran (also when no person was found in a video)
  1    other error
  2    bad command-line usage
  3    invalid exercise spec
  4    unusable video file
  5    no usable camera
  6    pose model cannot be loaded
  7    an output file cannot be written
  8    the history database is corrupt, locked or from a newer coach
  130  interrupted (Ctrl-C): what was read is saved, marked interrupted"""


def _add_model_options(p: argparse.ArgumentParser) -> None:
    """--model and --people, the same for every command that runs the pose model."""
    p.add_argument("--model", help="a Tasks-API pose_landmarker .task file: lite, full or heavy "
                                   "(default: the full model shipped with the coach)")
    p.add_argument("--people", type=int, default=commands.MAX_PEOPLE, metavar="N",
                   help=f"look out for up to N people and follow the one exercising (default {commands.MAX_PEOPLE}; "
                        "1: never look for a second person)")


def _command(sub: Subcommands, name: str, help: str, description: str) -> argparse.ArgumentParser:
    """A subcommand's parser: no abbreviated options (``--htm`` is not ``--html``), the exit codes
    in its help, and its own usage and a suggestion for a misspelt option (see :func:`main`)."""
    return sub.add_parser(name, help=help, description=description, allow_abbrev=False, epilog=EXIT_CODES,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _add_window_options(p: argparse.ArgumentParser) -> None:
    """The live window's options, which ``live`` and ``routine`` share."""
    p.add_argument("--no-display", action="store_true", help="run without a window (for tests and servers)")
    p.add_argument("--mirror", action=argparse.BooleanOptionalAction, default=None,
                   help="show the picture like a mirror (default: yes for a camera, no for a video file); "
                        "left and right in the analysis never change")
    p.add_argument("--max-seconds", type=float, help="end the session after this many seconds")
    p.add_argument("--screenshot", help="save the last window image to this PNG on exit")
    p.add_argument("--voice", action=argparse.BooleanOptionalAction, default=None,
                   help="speak the count, hold, rest, the set-up advice and form cues (default: on when espeak-ng "
                        "or espeak is installed; m mutes)")
    p.add_argument("--no-setup-check", action="store_true", help="start at once, without the camera set-up check")
    p.add_argument("--no-history", action="store_true",
                   help="do not add this session to the history (a demonstration, someone else trying it)")
    p.add_argument("--windowed", action="store_true",
                   help="start in a window the picture's size, not full screen (f or Esc leave full screen, f "
                        "goes back)")


def _analyze_parser(sub: Subcommands) -> None:
    p = _command(sub, "analyze", help="analyse a recorded video and write a report",
                       description="Analyse every frame of a video: count reps, time holds, list form warnings. Without --exercise the coach finds which exercises the video shows, and when, and reports each.")
    p.add_argument("videos", nargs="+", metavar="VIDEO",
                   help="video file (mp4, mov, avi, ...); several files or folders with --out")
    p.add_argument("--out", metavar="DIR",
                   help="for several videos: write a report per video, summary.csv and index.html into DIR")
    p.add_argument("--cluster", metavar="ADDRESS",
                   help="with --out: analyse the videos on a Dask cluster (its scheduler's address, or 'local' to "
                        "start one here); needs pip install '.[cluster]' and the videos on a shared path")
    p.add_argument("--exercise", "-e", help="exercise id (see `coach exercises`) or a spec .toml file; without it, "
                                           "the coach finds which exercises the video shows and when, and reports each")
    p.add_argument("--report", help="write the JSON report here")
    p.add_argument("--annotated", help="write a video with the overlay drawn here (.mp4, H.264: plays in a browser)")
    p.add_argument("--highlights", help="write a short video of the reps, holds and form cues only, with the "
                                        "overlay and each moment's time (.mp4, H.264), for a physiotherapist")
    p.add_argument("--events", help="append every event as a JSON line here")
    p.add_argument("--html", help="write a self-contained HTML report (plots, worst-form pictures) here")
    p.add_argument("--csv", metavar="PREFIX", help="write PREFIX.frames.csv, PREFIX.reps.csv and PREFIX.holds.csv")
    _add_model_options(p)
    p.add_argument("--max-frames", type=int, help="stop after this many frames")
    p.add_argument("--workers", type=int, metavar="N",
                   help="processes running the pose model on segments of a long video (default: one per core; "
                        "1: all in this process; videos shorter than 40 s always use one)")
    p.add_argument("--json", action="store_true", help="print the full report as JSON instead of a summary")
    p.add_argument("--no-history", action="store_true", help="do not add this session to the history")
    p.add_argument("--keep-both", action="store_true",
                   help="a recording analysed before (same content, same exercise) is added to the history again "
                        "beside its earlier session, not in its place")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=commands.analyze)


def _live_parser(sub: Subcommands) -> None:
    p = _command(sub, "live", help="coach live from a webcam (or a video played as one)",
                       description="Live coaching window, made to be read from the mat. First a camera set-up check "
                                   "(in the picture, the right view, the camera low and near), then a countdown; if "
                                   "the set-up is still not right after 10 s the session starts anyway. Keys: q quit, "
                                   "space pause, r reset the counts, m mute the voice, d details (angles, fps), "
                                   "f full screen on or off, Esc out of full screen.")
    p.add_argument("--exercise", "-e", help="exercise id or a spec .toml file; without it the coach follows you: "
                                           "it finds which exercise you do and coaches it (n: not this one)")
    p.add_argument("--camera", "-c", default="0", help="camera index, or a video file played at real-time pace")
    p.add_argument("--report", help="session report path (default: a file in ~/.local/share/coach/sessions)")
    p.add_argument("--events", help="event log path (default: beside the report)")
    _add_model_options(p)
    _add_window_options(p)
    p.set_defaults(func=commands.live)


def _routine_parser(sub: Subcommands) -> None:
    p = _command(sub, "routine", help="a guided sequence of exercises in the live window",
                       description="Guide a routine: each exercise until its target, a rest, the next. Keys: "
                                   "n next (or skip the rest), b back, space pause, q quit. `coach routine` lists "
                                   "the built-in routines; ROUTINE may also be your own .toml file.")
    p.add_argument("routine", nargs="?", help="routine id or a routine .toml file (none: list them)")
    p.add_argument("--show", action="store_true", help="print the routine's exercises and targets, then exit")
    p.add_argument("--camera", "-c", default="0", help="camera index, or a video file played at real-time pace")
    p.add_argument("--report", help="routine report path (default: a file in ~/.local/share/coach/sessions)")
    _add_model_options(p)
    _add_window_options(p)
    p.set_defaults(func=commands.routine)


def _exercises_parser(sub: Subcommands) -> None:
    p = _command(sub, "exercises", help="list the exercises, show one, or check spec files",
                       description="List the built-in exercises; `coach exercises show ID` explains one; "
                                   "`coach exercises check FILE...` validates your own spec or routine files "
                                   "(docs/specs.md describes every key).")
    p.add_argument("action", nargs="?", choices=("list", "show", "check"), default="list")
    p.add_argument("files", nargs="*", metavar="ID_OR_FILE", help="exercise id for `show`; .toml files for `check`")
    p.set_defaults(func=commands.exercises)


def _eval_parser(sub: Subcommands) -> None:
    p = _command(sub, "eval", help="score the coach against labelled clips",
                       description="Analyse labelled clips and print truth against result per clip, then exact-count "
                                   "and off-by-one rates, count error, hold error, warning precision/recall/F1 and "
                                   "phantom activity on controls. LABELS: folders made by `coach synth` and/or "
                                   "../shared/videos/labels.json.")
    p.add_argument("labels", nargs="+", help="a folder of synthetic clips, or a labels.json")
    p.add_argument("--markdown", help="also write the tables to this Markdown file")
    _add_model_options(p)
    p.add_argument("--landmarks", metavar="DIR",
                   help="keep each clip's pose landmarks in DIR (CLIP.npz) and reuse them on the next run: "
                        "re-scoring after a spec change then takes seconds instead of minutes")
    p.add_argument("--exact-joints", action="store_true",
                   help="synthetic clips only: score the body's exact joints seen from each clip's camera instead "
                        "of the pose model's landmarks (what the camera's height and angle cost, apart from the "
                        "pose model; no face or fingers, so head metrics differ)")
    p.add_argument("--mirror", action="store_true",
                   help="read every frame mirrored left-right, the person facing the other way (the pose model "
                        "reads the two facings differently); landmarks are mirrored back, so the labels stand. "
                        "Keep its --landmarks in a folder of their own")
    p.set_defaults(func=commands.eval_clips)


def _history_parser(sub: Subcommands) -> None:
    p = _command(sub, "history", help="your sessions over the days, per exercise",
                       description="Per exercise and day: sessions, reps, seconds held, share in good form and the "
                                   "cue heard most, from the history every session is added to "
                                   "(~/.local/share/coach/history.sqlite, or $COACH_HISTORY). A recording "
                                   "analysed again replaces its earlier session.")
    p.add_argument("--exercise", "-e", help="only this exercise")
    p.add_argument("--days", type=int, help="only the last N days")
    p.add_argument("--plot", help="also draw the trend to this PNG")
    p.add_argument("--html", help="also write a progress page (per exercise: sessions against the target, "
                                  "good form, range, the cue heard most), printable for a physiotherapist")
    p.add_argument("--json", action="store_true", help="every session as JSON, for programs (ids and figures)")
    p.add_argument("--db", help="a history database other than the default")
    p.set_defaults(func=commands.history)


def _cameras_parser(sub: Subcommands) -> None:
    p = _command(sub, "cameras", help="list the camera indices that work",
                       description="Try camera indices 0..N and list those that deliver a frame.")
    p.add_argument("--max-index", type=int, default=5)
    p.set_defaults(func=commands.cameras)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach", description="Webcam pose-form coach for low-back-pain exercises.", allow_abbrev=False,
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _analyze_parser(sub)
    _live_parser(sub)
    _routine_parser(sub)
    _exercises_parser(sub)
    _eval_parser(sub)
    _history_parser(sub)
    _cameras_parser(sub)
    commands.add_synth_parser(sub)
    parser.set_defaults(commands=sub.choices)
    return parser


def _unknown_options(args: argparse.Namespace, extras: list[str]) -> None:
    """Report options the command does not know with the command's own usage, and the nearest
    option it has ("--anotated": did you mean --annotated?); exits 2."""
    import difflib

    command: argparse.ArgumentParser = args.commands[args.command]
    known = [o for action in command._actions for o in action.option_strings]
    hints = []
    for extra in extras:
        close = difflib.get_close_matches(extra.split("=")[0], known, n=1) if extra.startswith("-") else []
        hints.append(f"{extra} (did you mean {close[0]}?)" if close else extra)
    command.error("unrecognized arguments: " + " ".join(hints))


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        _unknown_options(args, extras)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        commands.recover_cut_off_sessions()
        return int(args.func(args))
    except CoachError as exc:
        print(f"coach: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("coach: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`coach exercises | head`): nothing more to say, and no traceback
        # when Python flushes stdout on exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
