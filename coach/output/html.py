"""The session report as one self-contained HTML file.

The HTML holds the summary (reps and holds against the targets, per side),
the table of reps, a plot of the exercise's main metric over time (active
time shaded, reps and holds marked, the target band drawn), a timeline of
the warnings, and pictures of the worst-form moments with the skeleton. Plots
are drawn with matplotlib and embedded as PNG data, pictures as JPEG data,
so the file can be mailed to a physiotherapist as it is.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from coach.analysis.report import Report, RoutineReport, WorkoutReport
from coach.analysis.series import STATES, Series
from coach.errors import OutputError
from coach.output.moments import Moment
from coach.output.text import clock, cue_basis, end_screen_lines, summary_lines
from coach.specs.model import ExerciseSpec, describe_metric, metric_unit
from coach.types import SessionState

CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
h1 { margin-bottom: 0.2em; } .sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 4px 10px; }
th { background: #f2f2f2; text-align: left; } .warn { color: #b00; } .ok { color: #070; }
.moments { display: flex; flex-wrap: wrap; gap: 12px; } figure { margin: 0; width: 640px; max-width: 100%; } figure img { width: 100%; }
figcaption { font-size: 0.9em; color: #444; } img.plot { width: 100%; }
dt { font-weight: bold; } dd { margin: 0 0 0.4em 1.2em; }
"""


def png_data(fig: Any) -> str:
    """A matplotlib figure as base64 PNG, to embed in a page."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _target_band(spec: ExerciseSpec, metric: str) -> tuple[float | None, float | None]:
    """The metric's range that counts as the target position."""
    if spec.reps is not None and spec.reps.metric == metric:
        return spec.reps.full_at, None
    for c in spec.hold:
        if c.metric == metric:
            return c.min, c.max
    return None, None


def plot_session(report: Report, series: Series, spec: ExerciseSpec) -> str:
    """One panel per metric a rep or a warning is about, with the warnings timeline, as base64 PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = series.plotted_metrics()
    fig, axes = plt.subplots(len(metrics) + 1, 1, figsize=(10, 1.2 + 2.6 * len(metrics)), sharex=True,
                             gridspec_kw={"height_ratios": [4] * len(metrics) + [1]})
    for ax, metric in zip(axes[:-1], metrics):
        _plot_metric(ax, report, series, spec, metric)
    _plot_cues(axes[-1], report, spec)
    fig.tight_layout()
    data = png_data(fig)
    plt.close(fig)
    return data


def _plot_metric(ax: Any, report: Report, series: Series, spec: ExerciseSpec, metric: str) -> None:
    t = list(series.t)
    values = list(series.values[metric])
    ax.plot(t, values, color="#1f5fa8", lw=1.4, label=metric.replace("_", " "))
    active = STATES.index(SessionState.ACTIVE)
    start = None
    for i, s in enumerate(list(series.state) + [-1]):
        if s == active and start is None:
            start = t[i]
        elif s != active and start is not None:
            ax.axvspan(start, t[i - 1], color="#e8f3e8", lw=0, zorder=0)
            start = None
    finite = [v for v in values if not math.isnan(v)]
    for rule in spec.warnings:
        if rule.metric == metric:
            for level in (rule.below, rule.above):
                if level is not None:
                    ax.axhline(level, color="#c0392b", lw=0.8, ls="--", label=f"limit of \u201c{rule.cue or rule.message.split(':')[0]}\u201d")
    if finite:
        _draw_band(ax, spec, metric)
    for rep in report.reps.items:
        ax.axvspan(rep.start_s, rep.end_s, color="#1f5fa8" if rep.complete else "#999", alpha=0.12, lw=0)
        ax.text((rep.start_s + rep.end_s) / 2, 1.0, str(rep.index), transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", fontsize=8)
    unit = metric_unit(spec, metric)
    ax.set_ylabel(f"{metric.replace('_', ' ')}" + (f" ({unit})" if unit else ""))
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))           # a limit on both sides is named once
    ax.legend(unique.values(), unique.keys(), loc="upper right", fontsize=8)
    ax.grid(alpha=0.3)


def _draw_band(ax: Any, spec: ExerciseSpec, metric: str) -> None:
    """Shade the readings that count as the position (a hold) or as a rep's full range, from its limit
    to the edge of the plot: where the readings stay inside it, the shading is their whole height."""
    lo, hi = _target_band(spec, metric)
    if lo is None and hi is None:
        return
    ymin, ymax = ax.get_ylim()
    if (lo is None or lo <= ymin) and (hi is None or hi >= ymax):
        return                        # every reading is inside: a band over the whole plot says nothing
    label = "full range of a rep" if spec.reps is not None and spec.reps.metric == metric else "counted as in position"
    ax.axhspan(lo if lo is not None else ymin, hi if hi is not None else ymax,
               color="#ffe9b3", alpha=0.6, lw=0, zorder=0, label=label)
    ax.set_ylim(ymin, ymax)


def _plot_cues(wax: Any, report: Report, spec: ExerciseSpec) -> None:
    ids = sorted({w.id for w in report.warnings})
    for row, wid in enumerate(ids):
        spans = [(w.start_s, (w.end_s or w.start_s) - w.start_s) for w in report.warnings if w.id == wid]
        wax.broken_barh(spans, (row - 0.4, 0.8), color="#c0392b")
    cues = {w.id: w.cue for w in spec.warnings}
    wax.set_yticks(range(len(ids)), [cues.get(i, i.replace("_", " ")) for i in ids], fontsize=8)
    wax.set_ylim(-0.6, max(0.6, len(ids) - 0.4))
    wax.set_xlabel("time (s)")
    wax.set_title("form cues" if ids else "no form cues", fontsize=9, loc="left")


def _side_rows(report: Report) -> str:
    # A rep exercise's holds are its reps' tops (in the reps table): its sides are its reps'.
    hold_sides = report.hold.by_side if report.kind == "hold" else None
    rep_sides = report.reps.by_side
    if not hold_sides and not rep_sides:
        return ""
    rows = []
    for side in ("left", "right"):
        cells = [side]
        if rep_sides:
            cells.append(str(rep_sides[side]))
        if hold_sides:
            cells += [str(hold_sides[side]["holds"]), f"{hold_sides[side]['in_form_s']:.1f}"]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    head = ["side"] + (["reps"] if rep_sides else []) + (["holds", "s in good form"] if hold_sides else [])
    note = f"<p class='sub'>{html.escape(report.sides_note)}</p>" if report.sides_note else ""
    return ("<h2>Left and right</h2><table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"
            + "".join(rows) + "</table>" + note)


def _cue_table(report: Report) -> str:
    """Every form cue with when it showed and what it rests on: the reading, the limit, how long."""
    if not report.warnings:
        return ""
    rows = "".join(
        f"<tr><td>{w.start_s:.1f}-{(w.end_s if w.end_s is not None else w.start_s):.1f} s</td>"
        f"<td class='warn'>{html.escape(w.cue)}</td><td>{html.escape(cue_basis(w) or w.message)}</td></tr>"
        for w in report.warnings)
    return ("<h2>Form cues</h2><table><tr><th>when</th><th>cue</th><th>what it rests on (the median reading "
            f"while it showed)</th></tr>{rows}</table>")


def _when(report: Report) -> str:
    """ "5 Dec 2026, 07:40 (UTC+01:00), 1 min 12 s · " from the report's start and duration."""
    started = report.started_at.at if report.started_at else None
    duration = float(report.video.duration_s if report.video else 0.0)
    length = f"{int(duration // 60)} min {duration % 60:.0f} s" if duration >= 60 else f"{duration:.0f} s"
    if not started:
        return f"{length} \u00b7 "
    when = datetime.fromisoformat(started)
    known_from = report.started_at.known_from if report.started_at else "clock"
    if known_from == "file date":
        return f"{when:%d %b %Y} (the file's date; no time of day), {length} \u00b7 "
    approx = " (from the file's time)" if known_from == "file time" else ""
    zone = f" UTC{when.isoformat()[-6:]}" if when.utcoffset() is not None else ""
    return f"{when:%d %b %Y, %H:%M}{zone}{approx}, {length} \u00b7 "


def _progress(rows: Sequence[Any], kind: str) -> str:
    """The last days of this exercise from the history: a short strip for the physiotherapist."""
    if not rows:
        return ""
    amount = "reps" if kind == "reps" else "s held in good form"
    cells = "".join(
        f"<tr><td>{html.escape(r.day)}</td><td>{r.sessions}</td>"
        f"<td>{r.reps if kind == 'reps' else f'{r.in_form_s:.0f}'}</td>"
        f"<td>{'-' if r.good_share is None else f'{100 * r.good_share:.0f} %'}</td></tr>" for r in rows)
    return (f"<h2>The last days</h2><table><tr><th>day</th><th>sessions</th><th>{amount}</th>"
            f"<th>in good form</th></tr>{cells}</table>")


def _explained(report: Report, series: Series, spec: ExerciseSpec) -> str:
    """Each reading this page shows, in plain words with its unit, once."""
    shown = list(series.plotted_metrics()) + [w.metric for w in report.warnings if w.metric]
    if spec.reps is not None and report.reps.items:
        shown.insert(0, spec.reps.metric)
    items = [(m.replace("_", " "), describe_metric(spec, m)) for m in dict.fromkeys(shown)]
    if report.reps.items:
        items += [("peak", "the furthest the rep's reading went"),
                  ("rise from rest", "how far the reading rose from where the rep started"),
                  ("at the top", "how long the rep stayed at its top"),
                  ("way down", "how long the return to rest took"),
                  ("steadiness at the top", "how far the reading moved while at the top (smaller is steadier; "
                                            "reported, not judged)"),
                  ("score", "the checks the rep passed of those it was judged by: through full range, held at "
                            "the top and lowered as slowly as the exercise asks (where it asks), and no form cue; "
                            "a partial rep is judged by its range and form only")]
    rows = "".join(f"<dt>{html.escape(name)}</dt><dd>{html.escape(text)}.</dd>" for name, text in items)
    return f"<h2>What the figures mean</h2><dl>{rows}</dl>" if rows else ""


def _coverage(report: Report) -> str:
    if report.pose_coverage is None:
        return " &middot; rebuilt from the event log"
    return f" &middot; pose found in {report.pose_coverage * 100:.0f}% of frames"


def render_html(report: Report, series: Series, spec: ExerciseSpec, moments: list[Moment],
                progress: Sequence[Any] = ()) -> str:
    title = f"{spec.name}: session report"
    summary = "".join(f"<li>{html.escape(line)}</li>" for line in summary_lines(report)[1:])
    source = report.video.name if report.video else ""
    cues = {w.id: w.cue for w in spec.warnings}
    unit = metric_unit(spec, spec.reps.metric) if spec.reps else ""
    peak_unit = " deg" if unit == "deg" else ""
    reps = report.reps.items
    rep_rows = "".join(
        f"<tr><td>{r.index}</td><td>{r.side or ''}</td><td>{r.start_s:.1f}-{r.end_s:.1f} s</td>"
        f"<td class='{'ok' if r.complete else 'warn'}'>{'full' if r.complete else 'partial'}"
        f"{'' if r.top_seen else ' (its top not seen clearly: how far it went is not judged)'}</td>"
        f"<td>{r.peak:.0f}{peak_unit}</td><td>{'' if r.rise is None else f'{r.rise:.0f}{peak_unit}'}</td>"
        f"<td class='{'warn' if r.held is False else ''}'>{r.hold_s:.1f} s{' (short)' if r.held is False else ''}</td>"
        f"<td class='{'warn' if r.lowered_slowly is False else ''}'>"
        f"{'' if r.down_s is None else f'{r.down_s:.1f} s'}{' (fast)' if r.lowered_slowly is False else ''}</td>"
        f"<td>{'' if r.top_spread is None else f'{r.top_spread:.0f}{peak_unit}'}</td>"
        f"<td class='warn'>{html.escape('; '.join(cues.get(w, w) for w in r.warnings))}</td>"
        f"<td class='{'ok' if r.score[0] == r.score[1] else 'warn'}'>{r.score[0]} of {r.score[1]}</td></tr>"
        for r in reps)
    rep_table = ("<h2>Reps</h2><table><tr><th>#</th><th>side</th><th>time</th><th>range</th>"
                 f"<th>peak ({html.escape(unit)})</th><th>rise from rest</th><th>at the top"
                 + (f" (asked: {report.targets.hold_s:g} s)" if report.targets.hold_s else "")
                 + "</th><th>way down" + (f" (asked: {report.targets.lower_s:g} s or more)"
                                          if report.targets.lower_s else "")
                 + "</th><th>steadiness at the top (how far it moved)</th>"
                 + "<th>form cues</th><th>score</th>"
                 + f"</tr>{rep_rows}</table>"
                 ) if reps else ""
    plot = plot_session(report, series, spec) if len(series) else ""
    pictures = "".join(
        f"<figure><img alt='{html.escape(m.message)}' src='data:image/jpeg;base64,"
        f"{base64.b64encode(m.jpeg).decode('ascii')}'><figcaption>{m.t:.1f} s: {html.escape(m.message)}"
        f"</figcaption></figure>" for m in moments)
    moments_html = (f"<h2>Worst-form moments</h2><div class='moments'>{pictures}</div>" if moments
                    else "<h2>Worst-form moments</h2><p>No form warnings in this session.</p>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title><style>{CSS}</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p class="sub">{html.escape(_when(report))}{html.escape(source)}{_coverage(report)}
{' &middot; <b>interrupted</b>' if report.interrupted else ''}</p>
<h2>Summary</h2><ul>{summary}</ul>
{_side_rows(report)}
{rep_table}
{_cue_table(report)}
<h2>Over time: {html.escape(', '.join(m.replace('_', ' ') for m in series.plotted_metrics()))}</h2>
<p class="sub">Blue line: the reading over time. Light green: in the exercise's position and tracked.
Yellow (where the position is limited within the plot): the readings that count as in position (a hold) or as a
rep's full range. Red dashes: the limits
a form cue watches (the cue shows once the reading stays past its limit long enough). Blue columns: the reps
(grey: partial), numbered at the top. Bottom row: when each form cue was shown.</p>
{'<img class="plot" alt="metric over time" src="data:image/png;base64,' + plot + '">' if plot else '<p>No frames.</p>'}
{_explained(report, series, spec)}
{moments_html}
{_progress(progress, spec.kind)}
<h2>About this exercise</h2><p>{html.escape(spec.instructions)}</p>
<p class="sub">Camera: {html.escape(spec.camera)}</p>
</body></html>
"""


def write_html(path: str | Path, report: Report, series: Series, spec: ExerciseSpec,
               moments: list[Moment], progress: Sequence[Any] = ()) -> None:
    """The page; ``progress``: the history's last days of this exercise (``coach.output.history.DayRow``)."""
    try:
        Path(path).write_text(render_html(report, series, spec, moments, progress), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc}") from None


def render_routine_html(report: RoutineReport, pages: dict[int, str]) -> str:
    """The routine's own page: each exercise in order, what it came to, and a link to its page
    (``pages``: place in the routine -> the page's path relative to this one)."""
    rows = []
    for index, entry in enumerate(report.exercises):
        if entry.report is None:
            rows.append(f"<tr><td>{index + 1}</td><td>{html.escape(entry.exercise_name)}</td>"
                        "<td class='warn'>skipped</td><td></td></tr>")
            continue
        lines = end_screen_lines(entry.report, {})
        link = pages.get(index)
        rows.append(f"<tr><td>{index + 1}</td><td>{html.escape(entry.exercise_name)}</td>"
                    f"<td>{html.escape('; '.join(lines))}</td>"
                    + (f"<td><a href='{html.escape(link)}'>session report</a></td>" if link else "<td></td>")
                    + "</tr>")
    title = f"{report.routine_name}: routine report"
    when = f"{report.started_at.at}" if report.started_at else ""
    ended = f" &middot; ended: {html.escape(report.ended_by)}" if report.ended_by else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title><style>{CSS}</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p class="sub">{html.escape(when)}{ended}{' &middot; <b>interrupted</b>' if report.interrupted else ''}</p>
<table><tr><th>#</th><th>exercise</th><th>what it came to</th><th></th></tr>{''.join(rows)}</table>
</body></html>
"""


def write_routine_html(path: str | Path, report: RoutineReport, pages: dict[int, str]) -> None:
    try:
        Path(path).write_text(render_routine_html(report, pages), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc}") from None


def write_index_html(path: Path, title: str, columns: list[str], rows: list[dict[str, object]],
                     link: tuple[str, str] | None = None) -> None:
    """A page with one table (e.g. many videos' summary); ``link`` = (column, key): that column's
    cell links to the row's ``key`` (its report)."""
    def cell(row: dict[str, object], key: str) -> str:
        text = html.escape(str(row.get(key, "")))
        if link and key == link[0] and row.get(link[1]):
            return f"<td><a href='{html.escape(str(row[link[1]]))}'>{text}</a></td>"
        return f"<td>{text}</td>"
    body = "".join("<tr>" + "".join(cell(row, key) for key in columns) + "</tr>" for row in rows)
    head = "".join(f"<th>{html.escape(key.replace('_', ' '))}</th>" for key in columns)
    page = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>coach: {html.escape(title)}</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{border-bottom:1px solid #ddd;padding:4px 8px;"
            f"text-align:left}}</style></head><body><h1>{html.escape(title)}</h1>"
            f"<table><tr>{head}</tr>{body}</table></body></html>")
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def render_workout_html(report: WorkoutReport) -> str:
    """A recorded workout's page: each exercise recognised, when, and what it came to."""
    rows = []
    for part in report.parts:
        lines = summary_lines(part.report)[1:]
        rows.append(f"<tr><td>{clock(part.start_s)}-{clock(part.end_s)}</td><td>{html.escape(part.exercise_name)}</td>"
                    f"<td><ul>{''.join(f'<li>{html.escape(line)}</li>' for line in lines)}</ul></td></tr>")
    name = report.video.name if report.video else ""
    table = ("<table><tr><th>when</th><th>exercise</th><th>what it came to</th></tr>" + "".join(rows) + "</table>"
             if rows else "<p>No exercise of the catalogue was recognised: nothing counted as reps or a hold.</p>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Workout: {html.escape(name)}</title><style>{CSS}</style></head>
<body>
<h1>Workout: the exercises recognised</h1>
<p class="sub">{html.escape(name)}{' &middot; <b>interrupted</b>' if report.interrupted else ''}</p>
<p class="sub">Each exercise was found by what the coach counted (reps or holds) and the posture it was done in,
then analysed alone. Time in none of them (getting up, rest, other movements) is in no row.</p>
{table}
</body></html>
"""


def write_workout_html(path: str | Path, report: WorkoutReport) -> None:
    try:
        Path(path).write_text(render_workout_html(report), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc}") from None
