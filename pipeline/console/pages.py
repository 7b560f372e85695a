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
    return _page("Callbacks", f"""<header><h1>Callbacks: {esc(roles)}</h1><span class="who">{esc(user.name)}</span>
{_logout(csrf)}</header>
<div id="banner" class="banner" hidden>Emergency callback waiting</div>
<p id="state" class="state">Connecting…</p>
<table id="worklist"><thead><tr><th>Due in</th><th>Urgency</th><th>Patient / caller</th><th>Call back</th>
<th>Intent</th><th>Review</th><th>Escalation</th><th>Role</th></tr></thead><tbody></tbody></table>""", csrf)


def task(row: Row, pieces: list[tuple[str, str | None]], csrf: str) -> str:
    """One task: the transcript with its evidence marked, the audio, routing, the actions and the FHIR Task."""
    transcript = "".join(f'<mark class="ev-{esc(name)}" title="{esc(name)}">{esc(text)}</mark>' if name
                         else esc(text) for text, name in pieces)
    notes = "".join(f"<li>{esc(n['text'])}</li>" for n in row.resource.get("note", []))
    others = "".join(f'<option value="{esc(r)}">{esc(r)}</option>' for r in topics.ROLES if r != row.role)
    hidden = f'<input type="hidden" name="csrf" value="{esc(csrf)}">'
    call = (f'<a href="tel:{esc(row.callback_number)}">{esc(row.callback_number)}</a>' if row.callback_number
            else "none given")
    return _page("Callback task", f"""<header><a href="/">← Worklist</a>{_logout(csrf)}</header>
<main class="task" data-task-id="{esc(row.task_id)}">
<h1 class="urgency-{esc(row.urgency)}">{esc(row.urgency)}: {esc(row.patient)}</h1>
<p>Call back: {call} · due {esc(row.due.isoformat())} · {esc(row.priority)} · status {esc(row.status)} ·
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
