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
from dataclasses import dataclass
from datetime import datetime, timedelta
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
}
SCHEMA_VERSION = max(MIGRATIONS)


@dataclass(frozen=True)
class DayRow:
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


def held_share(report: Report) -> float | None:
    """Of the complete reps, the share held at the top as long as the exercise asks (None: none asked)."""
    held = [r.held for r in report.reps.items if r.complete and r.held is not None]
    return sum(held) / len(held) if held and report.judged else None


def good_share(report: Report) -> float | None:
    """Good reps (complete, no warning) over all reps; for a hold, seconds in form over seconds held (None: not judged)."""
    if not report.judged:
        return None
    if report.kind == "hold":
        total = report.hold.total_s
        return report.hold.in_form_s / total if total > 0 else None
    items = report.reps.items
    return sum(1 for r in items if r.good) / len(items) if items else None


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
            report_path: str | None = None) -> None:
        warnings = Counter(w.id for w in report.warnings)
        row = (
            (started_at or datetime.now()).isoformat(timespec="seconds"), report.exercise, report.kind, mode,
            report.video.source if report.video else "", report.video.duration_s if report.video else None,
            report.reps.count, report.hold.count, report.hold.total_s, report.hold.in_form_s, good_share(report),
            warnings.most_common(1)[0][0] if warnings else None, sum(warnings.values()),
            int(report.interrupted), report_path, int(report.judged), report.judged_note, held_share(report),
        )
        try:
            with self.db:
                self.db.execute(
                    "INSERT INTO sessions (started_at, exercise, kind, mode, source, duration_s, reps, holds, "
                    "hold_s, in_form_s, good_share, top_warning, warnings, interrupted, report_path, judged, "
                    "judged_note, held_share) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self._explain(exc)) from None

    def days(self, exercise: str | None = None, since: str | None = None) -> list[DayRow]:
        """Per exercise and day: sessions, reps, hold seconds, good share, the most frequent warning."""
        query = ("SELECT exercise, substr(started_at, 1, 10) AS day, COUNT(*), SUM(reps), SUM(hold_s), "
                 "SUM(in_form_s), AVG(good_share), SUM(1 - judged), AVG(held_share) FROM sessions WHERE (? IS NULL OR exercise = ?) "
                 "AND (? IS NULL OR started_at >= ?) GROUP BY exercise, day ORDER BY exercise, day")
        try:
            rows = self.db.execute(query, (exercise, exercise, since, since)).fetchall()
            out = []
            for ex, day, n, reps, hold, form, share, not_judged, held in rows:
                top = self.db.execute(
                    "SELECT top_warning, COUNT(*) c FROM sessions WHERE exercise = ? AND substr(started_at, 1, 10) = ? "
                    "AND top_warning IS NOT NULL GROUP BY top_warning ORDER BY c DESC LIMIT 1", (ex, day)).fetchone()
                out.append(DayRow(ex, day, n, reps or 0, hold or 0.0, form or 0.0, share, top[0] if top else None,
                                  not_judged or 0, held))
            return out
        except sqlite3.DatabaseError as exc:
            raise HistoryError(self._explain(exc)) from None

    def close(self) -> None:
        self.db.close()


def plot_days(rows: list[DayRow], path: str | Path) -> None:
    """A trend figure: per exercise, reps (or seconds in good form) per day and the good-form share."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates
    import matplotlib.pyplot as plt

    exercises = sorted({r.exercise for r in rows})
    fig, axes = plt.subplots(len(exercises), 1, figsize=(9, 2.6 * max(1, len(exercises))), squeeze=False)
    for ax, exercise in zip(axes[:, 0], exercises):
        mine = [r for r in rows if r.exercise == exercise]
        days = [datetime.fromisoformat(r.day) for r in mine]
        reps = sum(r.reps for r in mine)
        amount = [r.reps for r in mine] if reps else [r.in_form_s for r in mine]
        ax.bar(days, amount, color="#1f5fa8", width=0.6, label="reps" if reps else "s held in good form")
        ax.set_title(exercise.replace("_", " "), loc="left", fontsize=10)
        ax.set_ylabel("reps" if reps else "s in form")
        share = ax.twinx()
        share.plot(days, [(r.good_share or 0) * 100 for r in mine], color="#2a9d3a", marker="o", label="% good form")
        share.set_ylim(0, 105)
        share.set_ylabel("% good form")
        ax.grid(alpha=0.3)
        # At least a week wide, in whole days: one day alone is one bar, not an axis of hours.
        first, last = min(days), max(days)
        ax.set_xlim(first - timedelta(days=1), max(last, first + timedelta(days=6)) + timedelta(days=1))
        ax.xaxis.set_major_locator(matplotlib.dates.AutoDateLocator(minticks=3, maxticks=10))
        ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%d %b"))
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
