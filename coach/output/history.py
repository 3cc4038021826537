"""Session history in a local SQLite database: every analysed or live session, one row.

The schema carries its version in SQLite's ``user_version``; opening a
database runs the migrations it has not had yet, in one transaction, so an
older history keeps working after an upgrade. A database written by a newer
coach is refused rather than altered. A corrupt or locked file raises
:class:`~coach.errors.HistoryError` at once (a short busy timeout, no
waiting forever); the CLI then warns and carries on, so the history never
blocks a session.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from coach.analysis.report import Report
from coach.errors import HistoryError

#: Migration n brings a database from version n-1 to n.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,          -- local time, ISO 8601
            exercise TEXT NOT NULL,
            kind TEXT NOT NULL,                -- reps or hold
            mode TEXT NOT NULL,                -- video, live or routine
            source TEXT,
            duration_s REAL,
            reps INTEGER NOT NULL,
            holds INTEGER NOT NULL,
            hold_s REAL NOT NULL,
            in_form_s REAL NOT NULL,
            good_share REAL,                   -- share of reps without warnings, or of hold time in form
            top_warning TEXT,
            warnings INTEGER NOT NULL,
            interrupted INTEGER NOT NULL,
            report_path TEXT
        )""",
        "CREATE INDEX sessions_by_exercise ON sessions (exercise, started_at)",
    ),
    # Whether the session could be judged at all (in position, from the view the exercise needs), and
    # if not, why: a session seen from the front is no session of good form.
    2: (
        "ALTER TABLE sessions ADD COLUMN judged INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE sessions ADD COLUMN judged_note TEXT",
        # Of the complete reps, the share held at the top as long as the exercise asks (NULL: no hold asked).
        "ALTER TABLE sessions ADD COLUMN held_share REAL",
    ),
    # What a person reads (the exercise's name, the cue's words), what the session was measured
    # against, and which recording it was: a recording analysed again replaces its session.
    3: (
        "ALTER TABLE sessions ADD COLUMN exercise_name TEXT",
        "ALTER TABLE sessions ADD COLUMN top_cue TEXT",          # the most frequent warning, in words
        "ALTER TABLE sessions ADD COLUMN full_share REAL",       # of the reps, the share through full range
        "ALTER TABLE sessions ADD COLUMN target_reps INTEGER",
        "ALTER TABLE sessions ADD COLUMN target_hold_s REAL",
        "ALTER TABLE sessions ADD COLUMN source_sha256 TEXT",    # a recording's content (NULL: live)
        "CREATE INDEX sessions_by_recording ON sessions (source_sha256, exercise)",
    ),
    # The reps' short scores added up: of their checks (full range, held and lowered as asked, no
    # cue), the share passed; and what a hold's time may include that the coach could not tell apart.
    4: (
        "ALTER TABLE sessions ADD COLUMN score_share REAL",
        "ALTER TABLE sessions ADD COLUMN hold_note TEXT",
    ),
}
SCHEMA_VERSION = max(MIGRATIONS)


@dataclass(frozen=True)
class SessionRow:
    """One session as the history keeps it: what ``coach history --json`` gives, an object each."""

    id: int
    started_at: str                 # local time of day the session began (a recording: when it was recorded)
    exercise: str
    exercise_name: str
    kind: str                       # reps or hold
    mode: str                       # video, live, live from a video file, routine
    source: str | None
    duration_s: float | None
    reps: int
    holds: int
    hold_s: float
    in_form_s: float
    good_share: float | None        # reps without a cue over reps; of a hold, seconds in form over seconds held
    full_share: float | None        # of the reps whose top was seen, the share through full range
    held_share: float | None        # of the complete reps, the share held at the top as long as asked
    top_warning: str | None         # the most frequent cue's id (for programs)
    top_cue: str | None             # ... and its words (for people)
    warnings: int
    interrupted: bool
    judged: bool
    judged_note: str | None
    target_reps: int | None
    target_hold_s: float | None
    report_path: str | None
    source_sha256: str | None
    score_share: float | None = None  # of the reps' checks (see RepItem.checks), the share passed
    hold_note: str | None = None      # what the hold's time may include (parts out of sight)

    @property
    def day(self) -> str:
        return self.started_at[:10]


@dataclass(frozen=True)
class DayRow:
    """Per exercise and day: the sessions added up, for the terminal view and the session page."""

    exercise: str
    day: str
    sessions: int
    reps: int
    hold_s: float
    in_form_s: float
    good_share: float | None
    top_warning: str | None
    not_judged: int = 0        # sessions of the day in which nothing could be judged
    held_share: float | None = None   # of the complete reps, the share held at the top as long as asked
    exercise_name: str = ""
    top_cue: str | None = None
    kind: str = "reps"
    score_share: float | None = None  # of the reps' checks, the share passed


@dataclass(frozen=True)
class Added:
    """What adding a session did: stored or not (and why not), and how many earlier sessions of
    the same recording it replaced."""

    stored: bool
    replaced: int = 0
    why_not: str | None = None


def held_share(report: Report) -> float | None:
    """Of the complete reps, the share held at the top as long as the exercise asks (None: none asked)."""
    held = [r.held for r in report.reps.items if r.complete and r.held is not None]
    return sum(held) / len(held) if held and report.judged else None


def full_share(report: Report) -> float | None:
    """Of the reps whose top was seen, the share that went through full range (None: no rep, not judged)."""
    seen = [r for r in report.reps.items if r.top_seen]
    return sum(1 for r in seen if r.complete) / len(seen) if seen and report.judged else None


def score_share(report: Report) -> float | None:
    """Of the checks the reps were judged by (full range, held and lowered as asked, no cue), the
    share passed: the reps' short scores added up (None: no rep, not judged)."""
    scores = [r.score for r in report.reps.items]
    judged = sum(of for _, of in scores)
    return sum(passed for passed, _ in scores) / judged if judged and report.judged else None


def good_share(report: Report) -> float | None:
    """Good reps (complete, no warning) over all reps; for a hold, seconds in form over seconds held (None: not judged)."""
    if not report.judged:
        return None
    if report.kind == "hold":
        total = report.hold.total_s
        return report.hold.in_form_s / total if total > 0 else None
    items = report.reps.items
    return sum(1 for r in items if r.good) / len(items) if items else None


def nothing_read(report: Report) -> bool:
    """A session that read no frame (stopped at once, a camera that gave nothing): no result to keep."""
    return report.video is not None and report.video.frames == 0


def session_start(report: Report) -> datetime:
    """When the session began in local time of day: a recording's own time, as its report says; now
    when the report does not say."""
    if report.started_at is None:
        return datetime.now()
    return datetime.fromisoformat(report.started_at.at).replace(tzinfo=None)


def words(identifier: str) -> str:
    """An id for a person, where the words it stands for are not kept (sessions stored before them)."""
    return identifier.replace("_", " ")


_COLUMNS = ", ".join(f.name for f in fields(SessionRow))


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _day(exercise: str, day: str, rows: list[SessionRow]) -> DayRow:
    cues = Counter(r.top_warning for r in rows if r.top_warning)
    top = cues.most_common(1)[0][0] if cues else None
    return DayRow(exercise, day, len(rows), sum(r.reps for r in rows), sum(r.hold_s for r in rows),
                  sum(r.in_form_s for r in rows), _mean([r.good_share for r in rows]), top,
                  sum(1 for r in rows if not r.judged), _mean([r.held_share for r in rows]),
                  rows[-1].exercise_name, next((r.top_cue for r in rows if r.top_warning == top), None),
                  rows[-1].kind, _mean([r.score_share for r in rows]))


class History:
    """The history database at ``path`` (opened, checked and migrated on creation)."""

    def __init__(self, path: str | Path, busy_timeout_s: float = 2.0) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=busy_timeout_s)
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self._explain(exc)) from None
        except OSError as exc:
            raise HistoryError(f"cannot open the history {self.path}: {exc}") from None

    def _explain(self, exc: Exception) -> str:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return f"the history {self.path} is locked by another program (another coach running?); try again"
        if "not a database" in text or "malformed" in text or "file is encrypted" in text:
            return (f"the history {self.path} is damaged ({text}); move it away to start a new one, "
                    f"or restore a copy")
        return f"cannot use the history {self.path}: {text}"

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError(f"the history {self.path} was written by a newer coach (schema {version}, "
                               f"this one knows {SCHEMA_VERSION}); upgrade coach")
        if version == SCHEMA_VERSION:
            return
        # One writer at a time, all or nothing: a second coach opening a new history at the same
        # moment waits here, then finds the schema made (and makes nothing twice).
        self.db.execute("BEGIN IMMEDIATE")
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[step]:
                    self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise

    def add(self, report: Report, mode: str, started_at: datetime | None = None,
            report_path: str | None = None, keep_earlier: bool = False) -> Added:
        """Add a session. A recording analysed again (same content, same exercise) replaces its
        earlier session unless ``keep_earlier``; a session that read no frame is not stored."""
        if nothing_read(report):
            return Added(False, why_not="no frame was read")
        warnings = Counter(w.id for w in report.warnings)
        top = warnings.most_common(1)[0][0] if warnings else None
        cue = next((w.cue or w.message for w in report.warnings if w.id == top), None)
        sha256 = report.video.sha256 if report.video else None
        row = {
            "started_at": (started_at or session_start(report)).isoformat(timespec="seconds"),
            "exercise": report.exercise, "exercise_name": report.exercise_name, "kind": report.kind, "mode": mode,
            "source": report.video.source if report.video else "",
            "duration_s": report.video.duration_s if report.video else None,
            "reps": report.reps.count, "holds": report.hold.count, "hold_s": report.hold.total_s,
            "in_form_s": report.hold.in_form_s, "good_share": good_share(report), "full_share": full_share(report),
            "held_share": held_share(report), "score_share": score_share(report), "top_warning": top, "top_cue": cue,
            "warnings": sum(warnings.values()), "interrupted": int(report.interrupted),
            "judged": int(report.judged), "judged_note": report.judged_note, "hold_note": report.hold_note,
            "target_reps": report.targets.reps if report.kind == "reps" else report.targets.holds,
            "target_hold_s": report.targets.hold_s,
            "report_path": str(Path(report_path).resolve()) if report_path else None, "source_sha256": sha256,
        }
        try:
            with self.db:
                replaced = 0
                if sha256 and not keep_earlier:
                    replaced = self.db.execute("DELETE FROM sessions WHERE source_sha256 = ? AND exercise = ?",
                                               (sha256, report.exercise)).rowcount
                self.db.execute(f"INSERT INTO sessions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                                tuple(row.values()))
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self._explain(exc)) from None
        return Added(True, replaced)

    def sessions(self, exercise: str | None = None, since: str | None = None) -> list[SessionRow]:
        """Every session (of ``exercise``, from the day ``since`` on), oldest first."""
        query = (f"SELECT {_COLUMNS} FROM sessions WHERE (? IS NULL OR exercise = ?) "
                 "AND (? IS NULL OR started_at >= ?) ORDER BY started_at, id")
        try:
            rows = self.db.execute(query, (exercise, exercise, since, since)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self._explain(exc)) from None
        out = []
        for values in rows:
            row = dict(zip((f.name for f in fields(SessionRow)), values))
            row["exercise_name"] = row["exercise_name"] or words(row["exercise"]).capitalize()
            row["top_cue"] = row["top_cue"] or (words(row["top_warning"]) if row["top_warning"] else None)
            row["interrupted"], row["judged"] = bool(row["interrupted"]), bool(row["judged"])
            out.append(SessionRow(**row))
        return out

    def days(self, exercise: str | None = None, since: str | None = None) -> list[DayRow]:
        """Per exercise and day: sessions, reps, hold seconds, good share, the most frequent warning."""
        groups: dict[tuple[str, str], list[SessionRow]] = {}
        for row in self.sessions(exercise, since):
            groups.setdefault((row.exercise, row.day), []).append(row)
        return [_day(ex, day, rows) for (ex, day), rows in sorted(groups.items())]

    def close(self) -> None:
        self.db.close()
