"""The history read by people and programs: the terminal view, JSON, the trend plot and the progress page.

A physiotherapist follows a patient over weeks: per exercise, each session against its target,
the share done in good form and through full range, and the cue heard most. The same drawing
serves the PNG of ``coach history --plot`` and the page of ``coach history --html``, so the two
never disagree. Everything a person reads is in words (exercise names, cue words); the ids stay
in the JSON, for programs.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from coach.errors import OutputError
from coach.output.history import DayRow, SessionRow
from coach.output.text import counted

#: What each figure of the history means, said once where people read them.
EXPLAINED = {
    "good form": "of a rep exercise, the share of reps done without a form cue; of a hold, the share of "
                 "the seconds held without one",
    "full range": "of the reps whose top the camera saw, the share that went all the way (the rest were "
                  "partial)",
    "held as asked": "of the full reps, the share held at the top as long as the exercise asks (the bridge "
                     "and the bird dog ask for a pause)",
    "rep score": "of the checks each rep is judged by (full range, held and lowered as asked where the "
                 "exercise asks, no form cue), the share passed",
    "not judged": "the camera saw the person from the wrong side, at an angle, partly, or not in the "
                  "exercise's position: nothing was counted as good or bad form",
}


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f} %"


def history_lines(days: Sequence[DayRow]) -> list[str]:
    """The terminal view: per exercise (by name) and day, what was done and the cue heard most, in words;
    reps for a rep exercise, seconds for a hold."""
    lines: list[str] = []
    current = None
    for row in days:
        reps = row.kind == "reps"
        if row.exercise != current:
            current = row.exercise
            amount = (f"{'reps':>5}  {'held as asked':>13}  {'rep score':>9}" if reps
                      else f"{'held s':>7}  {'in good form s':>14}")
            lines += ["", row.exercise_name or row.exercise,
                      f"  {'day':10}  {'sessions':>8}  {amount}  {'good form':>9}  most frequent cue"]
        amount = (f"{row.reps:5}  {_percent(row.held_share):>13}  {_percent(row.score_share):>9}" if reps
                  else f"{row.hold_s:7.1f}  {row.in_form_s:14.1f}")
        lines.append(f"  {row.day:10}  {row.sessions:8}  {amount}  {_percent(row.good_share):>9}  {row.top_cue or '-'}"
                     + (f"  ({row.not_judged} not judged: wrong view or not in position)" if row.not_judged else ""))
    lines += ["", "good form: " + EXPLAINED["good form"] + "."]
    if any(row.kind == "reps" for row in days):
        lines.append("held as asked: " + EXPLAINED["held as asked"] + ".")
        lines.append("rep score: " + EXPLAINED["rep score"] + ".")
    return lines


def history_json(sessions: Sequence[SessionRow], path: Path) -> dict[str, Any]:
    """The history for programs: every session with ids and figures, and where it was read from."""
    return {"history": str(path.resolve()), "sessions": [asdict(s) | {"day": s.day} for s in sessions]}


def _amount(row: SessionRow) -> float:
    return float(row.reps) if row.kind == "reps" else row.hold_s


def _target(row: SessionRow) -> float | None:
    """The session's target in the unit drawn: reps, or seconds held over all holds."""
    if row.kind == "reps":
        return float(row.target_reps) if row.target_reps else None
    if row.target_hold_s:
        return row.target_hold_s * (row.target_reps or 1)
    return None


def _target_words(row: SessionRow) -> str:
    if row.kind == "reps":
        return f"{row.target_reps} reps" if row.target_reps else "no target"
    if not row.target_hold_s:
        return "no target"
    holds = row.target_reps or 1
    return f"{holds} x {row.target_hold_s:g} s" if holds > 1 else f"{row.target_hold_s:g} s"


def draw_exercise(top: Any, bottom: Any, rows: Sequence[SessionRow]) -> None:
    """Two panels for one exercise: what was done per session against its target, and the shares
    (good form, full range, held as asked) in percent. Each axis and line is named in a legend."""
    import matplotlib.dates

    when = [datetime.fromisoformat(r.started_at) for r in rows]
    judged = [r.judged for r in rows]
    unit = "reps" if rows[0].kind == "reps" else "seconds held"
    amounts = [_amount(r) for r in rows]
    top.plot(when, amounts, color="#1f5fa8", marker="o", lw=1.2, label=f"{unit} per session")
    if rows[0].kind == "hold":
        top.plot(when, [r.in_form_s for r in rows], color="#2a9d3a", marker="s", lw=1.0,
                 label="seconds held in good form")
    targets = [_target(r) for r in rows]
    if any(t is not None for t in targets):
        said = {_target_words(r) for r in rows}
        top.step(when, [t if t is not None else float("nan") for t in targets], where="post", color="#555",
                 ls="--", lw=1.0, label=f"target ({said.pop()})" if len(said) == 1 else "target (each session's)")
    unjudged = [(w, a) for w, a, j in zip(when, amounts, judged) if not j]
    if unjudged:
        top.scatter(*zip(*unjudged), marker="x", s=60, color="#c0392b", zorder=3, label="not judged")
    top.set_ylabel(unit)
    top.set_ylim(bottom=0)
    top.legend(loc="upper left", fontsize=8, framealpha=0.9)
    top.grid(alpha=0.3)
    # Distinct markers and dashes: shares that coincide (all reps full and held) stay visible.
    for name, share, color, marker, dashes in (
            ("good form", [r.good_share for r in rows], "#2a9d3a", "o", "-"),
            ("full range", [r.full_share for r in rows], "#1f5fa8", "s", "--"),
            ("held as asked", [r.held_share for r in rows], "#e08a00", "^", ":")):
        points = [(w, s * 100) for w, s in zip(when, share) if s is not None]
        if points:
            bottom.plot(*zip(*points), color=color, marker=marker, ls=dashes, lw=1.4, markersize=7 - len(name) % 3,
                        label=f"% {name}")
    bottom.set_ylim(-3, 105)
    bottom.set_ylabel("% of the session")
    bottom.grid(alpha=0.3)
    if bottom.get_legend_handles_labels()[0]:
        bottom.legend(loc="lower left", fontsize=8, framealpha=0.9)
    else:
        bottom.text(0.5, 0.5, "no session could be judged", transform=bottom.transAxes, ha="center", color="#666")
    # From the first session to the day after the last (at least a week wide): the axis ends where
    # the sessions do, not a week beyond.
    last = max(when).replace(hour=0, minute=0, second=0) + timedelta(days=1)
    first = min(min(when).replace(hour=0, minute=0, second=0), last - timedelta(days=7))
    bottom.set_xlim(first, last + timedelta(hours=12))
    bottom.xaxis.set_major_locator(matplotlib.dates.AutoDateLocator(minticks=3, maxticks=10))
    bottom.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%d %b"))
    bottom.set_xlabel("day of the session")


def _by_exercise(sessions: Sequence[SessionRow]) -> dict[str, list[SessionRow]]:
    groups: dict[str, list[SessionRow]] = {}
    for row in sessions:
        groups.setdefault(row.exercise, []).append(row)
    return groups


def _figure(groups: dict[str, list[SessionRow]]) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2 * len(groups), 1, figsize=(9, 4.6 * len(groups)), squeeze=False,
                             gridspec_kw={"height_ratios": [3, 2] * len(groups)})
    for i, rows in enumerate(groups.values()):
        top, bottom = axes[2 * i, 0], axes[2 * i + 1, 0]
        top.sharex(bottom)
        draw_exercise(top, bottom, rows)
        top.set_title(rows[-1].exercise_name, loc="left", fontsize=11, fontweight="bold")
        top.tick_params(labelbottom=False)
    fig.tight_layout()
    return fig


def plot_progress(sessions: Sequence[SessionRow], path: str | Path) -> None:
    """The trend figure (PNG): per exercise, the two panels of :func:`draw_exercise`."""
    import matplotlib.pyplot as plt

    fig = _figure(_by_exercise(sessions))
    try:
        fig.savefig(path, dpi=100)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc}") from None
    finally:
        plt.close(fig)


CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
h1 { margin-bottom: 0.2em; } .sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
td, th { border: 1px solid #ccc; padding: 4px 8px; } th { background: #f2f2f2; text-align: left; }
.warn { color: #b00; } img.plot { width: 100%; } dt { font-weight: bold; } dd { margin: 0 0 0.4em 1.2em; }
@media print { body { margin: 0; max-width: none; } section { break-before: page; } a { color: inherit; } }
"""


def _session_cells(row: SessionRow, links: bool) -> str:
    done = counted(row.reps, "rep") if row.kind == "reps" else f"{counted(row.holds, 'hold')}, {row.hold_s:.0f} s"
    notes = [row.judged_note or "not judged"] if not row.judged else []
    if row.hold_note:
        notes.append(row.hold_note)
    if row.interrupted:
        notes.append("interrupted")
    cells = [f"{datetime.fromisoformat(row.started_at):%a %d %b %Y %H:%M}", row.mode, done, _target_words(row),
             _percent(row.good_share)]
    if row.kind == "reps":
        cells += [_percent(row.full_share), _percent(row.held_share), _percent(row.score_share)]
    cells += [row.top_cue or "-", "; ".join(notes)]
    out = "".join(f"<td>{html.escape(c)}</td>" for c in cells)
    if links:
        out += (f"<td><a href='{html.escape(Path(row.report_path).as_uri())}'>report</a></td>"
                if row.report_path and Path(row.report_path).is_absolute() else "<td></td>")
    return out


def _table(rows: Sequence[SessionRow]) -> str:
    """The sessions of one exercise, a row each; the columns that apply to its kind."""
    links = any(r.report_path for r in rows)
    head = ["when", "how", "done", "target", "good form"]
    head += ["full range", "held as asked", "rep score"] if rows[0].kind == "reps" else []
    head += ["cue heard most", "note"] + (["report"] if links else [])
    return ("<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"
            + "".join(f"<tr>{_session_cells(r, links)}</tr>" for r in rows) + "</table>")


def _overview(rows: Sequence[SessionRow]) -> str:
    """One sentence: how many sessions over which days, the first against the last, the cue heard most."""
    days = sorted({r.day for r in rows})
    first, last = rows[0], rows[-1]
    unit = "reps" if first.kind == "reps" else "s held"
    text = (f"{len(rows)} session{'s' if len(rows) != 1 else ''} on {len(days)} day{'s' if len(days) != 1 else ''}, "
            f"{days[0]} to {days[-1]}. First session: {_amount(first):.0f} {unit}, {_percent(first.good_share)} in "
            f"good form; last: {_amount(last):.0f} {unit}, {_percent(last.good_share)} in good form.")
    cues = Counter(r.top_cue for r in rows if r.top_cue)
    if cues:
        cue, n = cues.most_common(1)[0]
        text += f" Cue heard most: \u201c{cue}\u201d (the most frequent in {n} session{'s' if n != 1 else ''})."
    unjudged = sum(1 for r in rows if not r.judged)
    if unjudged:
        text += f" {unjudged} session{'s' if unjudged != 1 else ''} could not be judged."
    return html.escape(text)


def render_progress_html(sessions: Sequence[SessionRow], scope: str) -> str:
    """The progress page: per exercise, a sentence, the plot and the table of its sessions.
    ``scope`` says which sessions were chosen (days, exercise)."""
    from coach.output.html import png_data

    groups = _by_exercise(sessions)
    sections = []
    for rows in groups.values():
        fig = _figure({rows[0].exercise: rows})
        plot = png_data(fig)
        table = _table(rows)
        sections.append(f"<section><h2>{html.escape(rows[-1].exercise_name)}</h2><p>{_overview(rows)}</p>"
                        f"<img class='plot' alt='{html.escape(rows[-1].exercise_name)} over the sessions' "
                        f"src='data:image/png;base64,{plot}'>{table}</section>")
    explained = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}.</dd>" for k, v in EXPLAINED.items())
    drawn = ("<dt>the plots</dt><dd>Above: what was done in each session (reps, or seconds held) as blue dots, "
             "the target as a grey dashed line, sessions that could not be judged as red crosses. Below: the "
             "shares above, in percent of the session. The time axis runs from the first session to the day "
             "after the last.</dd>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Progress: {html.escape(scope)}</title><style>{CSS}</style></head>
<body>
<h1>Progress over the sessions</h1>
<p class="sub">{html.escape(scope)} &middot; made {datetime.now():%d %b %Y, %H:%M}</p>
<h2>How to read this page</h2><dl>{explained}{drawn}</dl>
{''.join(sections)}
</body></html>
"""


def write_progress_html(path: str | Path, sessions: Sequence[SessionRow], scope: str) -> None:
    try:
        Path(path).write_text(render_progress_html(sessions, scope), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc}") from None
