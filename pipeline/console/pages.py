"""The console's HTML. Every value that may hold PHI goes in through `esc`; scripts and styles are
files (`static/`), so the Content-Security-Policy can forbid inline script."""

from __future__ import annotations

import html
import json

from pipeline import topics
from pipeline.console.core import Row
from pipeline.console.users import User


def esc(value: object) -> str:
    """HTML-escaped text."""
    return html.escape(str(value), quote=True)


def _page(title: str, body: str, csrf: str | None = None) -> str:
    meta = f'<meta name="csrf" content="{esc(csrf)}">' if csrf else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>{meta}'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="stylesheet" href="/static/console.css"><script src="/static/console.js" defer></script>'
            f"</head><body>{body}</body></html>")


def _logout(csrf: str) -> str:
    return (f'<form method="post" action="/logout" class="logout"><input type="hidden" name="csrf" '
            f'value="{esc(csrf)}"><button>Log out</button></form>')


def login(error: str | None) -> str:
    """The login form."""
    note = '<p class="error">Wrong name or password.</p>' if error else ""
    return _page("Log in: callback console", f"""<main class="login"><h1>Callback console</h1>{note}
<form method="post" action="/login">
<label>User name <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button>Log in</button></form></main>""")


def worklist(user: User, csrf: str) -> str:
    """The live worklist of the user's roles: rows come over server-sent events (`console.js`)."""
    roles = ", ".join(sorted(user.roles))
    scorecard_link = '<a href="/scorecard">Scorecard</a>' if "manager" in user.roles else ""
    return _page("Callbacks", f"""<header><h1>Callbacks: {esc(roles)}</h1>{scorecard_link}
<span class="who">{esc(user.name)}</span>{_logout(csrf)}</header>
<div id="banner" class="banner" hidden>Emergency callback waiting</div>
<p id="state" class="state">Connecting…</p>
<table id="worklist"><thead><tr><th>Due in</th><th>Urgency</th><th>Patient / caller</th><th>Call back</th>
<th>Intent</th><th>Review</th><th>Escalation</th><th>Role</th></tr></thead><tbody></tbody></table>""", csrf)


def _routed_role(row: Row) -> str:
    """The role the route stage gave the task (its `performerType`)."""
    return str(row.resource["performerType"][0]["coding"][0]["code"])


def task(row: Row, pieces: list[tuple[str, str | None]], csrf: str, caller: str | None = None,
         relationship: str | None = None) -> str:
    """One task: the transcript with its evidence marked, the audio, routing, the actions and the FHIR Task."""
    transcript = "".join(f'<mark class="ev-{esc(name)}" title="{esc(name)}">{esc(text)}</mark>' if name
                         else esc(text) for text, name in pieces)
    reasons = [f"Urgency {row.urgency}: {v.get('valueString', '')}" for v in row.resource.get("input", [])
               if v["type"]["coding"][0]["code"] == "evidence"]
    reasons += [f"Routed to {row.role}" + (" (reassigned)" if row.role != _routed_role(row) else "")]
    notes = "".join(f"<li>{esc(n)}</li>" for n in [*reasons, *(n["text"] for n in row.resource.get("note", []))])
    others = "".join(f'<option value="{esc(r)}">{esc(r)}</option>' for r in topics.ROLES if r != row.role)
    hidden = f'<input type="hidden" name="csrf" value="{esc(csrf)}">'
    call = (f'<a href="tel:{esc(row.callback_number)}">{esc(row.callback_number)}</a>' if row.callback_number
            else "none given")
    return _page("Callback task", f"""<header><a href="/">← Worklist</a>{_logout(csrf)}</header>
<main class="task" data-task-id="{esc(row.task_id)}">
<h1 class="urgency-{esc(row.urgency)}">{esc(row.urgency)}: {esc(row.patient)}</h1>
<p>Caller: {esc(caller or "not said")}{f" ({esc(relationship)})" if relationship else ""} ·
call back: {call} · due {esc(row.due.isoformat())} · {esc(row.priority)} · status {esc(row.status)} ·
intents {esc(", ".join(row.intents))} · role {esc(row.role)}</p>
<audio controls preload="none" src="/task/{esc(row.task_id)}/audio"></audio>
<h2>Transcript</h2><p class="transcript">{transcript}</p>
<h2>Why it is here</h2><ul>{notes}</ul>
<div class="actions">
<form method="post" action="/task/{esc(row.task_id)}/accept">{hidden}<button name="accept">Accept</button></form>
<form method="post" action="/task/{esc(row.task_id)}/complete">{hidden}
<label>Outcome <input name="note" maxlength="2000"></label><button name="complete">Complete</button></form>
<form method="post" action="/task/{esc(row.task_id)}/reassign">{hidden}
<select name="role">{others}</select><button name="reassign">Reassign</button></form>
</div>
<h2>FHIR Task</h2><pre>{esc(json.dumps(row.resource, indent=2, ensure_ascii=False))}</pre></main>""", csrf)


PERIODS = (1, 7, 30)  # days the scorecard can cover
_COLORS = {"emergency": "#b00020", "urgent": "#e08a00", "routine": "#3a6ea5", "informational": "#8c8c8c"}


def _bars(counts: dict[str, int], width: int = 420) -> str:
    """A horizontal bar chart (inline SVG) of named counts."""
    if not counts:
        return "<p>none</p>"
    top = max(counts.values()) or 1
    rows = "".join(
        f'<text x="0" y="{18 * i + 13}">{esc(name)}</text>'
        f'<rect x="150" y="{18 * i + 2}" width="{max(1, int((width - 200) * n / top))}" height="13" fill="#3a6ea5"/>'
        f'<text x="{155 + int((width - 200) * n / top)}" y="{18 * i + 13}">{n}</text>'
        for i, (name, n) in enumerate(sorted(counts.items(), key=lambda kv: -kv[1])))
    return f'<svg class="chart" width="{width}" height="{18 * len(counts) + 4}" role="img">{rows}</svg>'


def _per_day(per_day: dict[str, dict[str, int]]) -> str:
    """Tasks per day, stacked by urgency (inline SVG)."""
    if not per_day:
        return "<p>no tasks in this period</p>"
    top = max(sum(c.values()) for c in per_day.values()) or 1
    bars, height = [], 160
    for i, (day, counts) in enumerate(per_day.items()):
        y = height
        for urgency in _COLORS:
            h = int(height * counts.get(urgency, 0) / top)
            if h:
                y -= h
                bars.append(f'<rect x="{40 * i + 4}" y="{y + 16}" width="30" height="{h}" fill="{_COLORS[urgency]}">'
                            f"<title>{esc(day)} {esc(urgency)}: {counts[urgency]}</title></rect>")
        bars.append(f'<text x="{40 * i + 4}" y="{height + 30}" font-size="10">{esc(day[5:])}</text>'
                    f'<text x="{40 * i + 8}" y="{y + 12}" font-size="11">{sum(counts.values())}</text>')
    legend = " ".join(f'<svg width="12" height="12" class="key"><rect width="12" height="12" fill="{c}"/></svg>{esc(u)}'
                      for u, c in _COLORS.items())
    return (f'<svg class="chart" width="{40 * len(per_day) + 10}" height="{height + 36}" role="img">{"".join(bars)}'
            f"</svg><p>{legend}</p>")


def scorecard(card: dict, days: int, csrf: str) -> str:
    """The manager's scorecard: the `stats` figures over the chosen period, as charts and a table."""
    periods = " ".join(f'<a href="/scorecard?days={d}"{" class=current" if d == days else ""}>{d} day'
                       f'{"s" if d > 1 else ""}</a>' for d in PERIODS)
    def minutes(m: dict) -> str:
        return "-" if not m["n"] else f"{m['median']} / {m['p90']} (n {m['n']})"
    roles = "".join(f"<tr><td>{esc(role)}</td><td>{minutes(t['acknowledge'])}</td><td>{minutes(t['complete'])}"
                    f"</td></tr>" for role, t in card["by_role_min"].items())
    return _page("Scorecard", f"""<header><h1>Return-call scorecard</h1><nav>{periods}</nav><a href="/">Worklist</a>
{_logout(csrf)}</header>
<main class="scorecard">
<p class="figures"><b>{card['tasks']}</b> tasks · <b>{card['deadline_breaches']}</b> deadline breaches ·
<b>{card['open_past_due']}</b> open past due · <b>{card['escalations']}</b> escalations</p>
<h2>Tasks per day, by urgency</h2>{_per_day(card['per_day_by_urgency'])}
<h2>Minutes to acknowledge and to complete (median / p90)</h2>
<table><thead><tr><th>Role</th><th>Acknowledge</th><th>Complete</th></tr></thead><tbody>{roles}
<tr><td><b>all</b></td><td>{minutes(card['time_to_acknowledge_min'])}</td>
<td>{minutes(card['time_to_complete_min'])}</td></tr></tbody></table>
<h2>Tasks by role</h2>{_bars(card['by_role'])}
<h2>Dead letters by reason</h2>{_bars(card['dead_letters_by_reason'])}
</main>""", csrf)
