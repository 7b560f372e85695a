// The live worklist: rows arrive over server-sent events; each second the countdowns tick.
"use strict";
(function () {
  const table = document.querySelector("#worklist tbody");
  if (!table) return;
  const state = document.getElementById("state");
  const banner = document.getElementById("banner");
  let known = new Set();
  let rows = [];

  function left(due) {
    const s = Math.round((Date.parse(due) - Date.now()) / 1000);
    const a = Math.abs(s), h = Math.floor(a / 3600), m = Math.floor((a % 3600) / 60), sec = a % 60;
    const text = (h ? h + "h " : "") + (h || m ? m + "m " : "") + sec + "s";
    return s < 0 ? { text: text + " late", late: true } : { text: text, late: false };
  }

  function beep() {  // an emergency arrived: a short tone (browsers may hold it until the page was clicked)
    try {
      const ctx = new AudioContext(), osc = ctx.createOscillator();
      osc.frequency.value = 880; osc.connect(ctx.destination); osc.start(); osc.stop(ctx.currentTime + 0.4);
    } catch (e) { /* no audio device */ }
  }

  function cell(tr, text, cls) {
    const td = document.createElement("td");
    td.textContent = text;  // textContent: PHI is never parsed as HTML
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function render() {
    table.replaceChildren();
    for (const t of rows) {
      const tr = document.createElement("tr");
      tr.dataset.taskId = t.task_id;
      tr.className = "urgency-" + t.urgency;
      const due = left(t.due);
      cell(tr, due.text, due.late ? "due late" : "due").dataset.due = t.due;
      cell(tr, t.urgency);
      const who = cell(tr, "");
      const link = document.createElement("a");
      link.href = "/task/" + encodeURIComponent(t.task_id);
      link.textContent = t.patient;
      who.appendChild(link);
      if (t.caller && !t.patient.startsWith(t.caller)) who.append(" · caller " + t.caller);
      const call = cell(tr, "");
      if (t.callback_number) {
        const tel = document.createElement("a");
        tel.href = "tel:" + t.callback_number;
        tel.textContent = t.callback_number;
        call.appendChild(tel);
      }
      cell(tr, t.intents.join(", "));
      cell(tr, t.needs_review ? "needs review" : "", t.needs_review ? "review" : "").title = t.review_notes.join("\n");
      cell(tr, t.level ? "level " + t.level : "");
      cell(tr, t.role);
      table.appendChild(tr);
    }
    const emergencies = rows.filter(t => t.urgency === "emergency");
    banner.hidden = emergencies.length === 0;
    if (emergencies.some(t => !known.has(t.task_id))) beep();
    known = new Set(rows.map(t => t.task_id));
    state.textContent = rows.length + " open";
  }

  setInterval(function () {
    for (const td of table.querySelectorAll("td.due")) {
      const due = left(td.dataset.due);
      td.textContent = due.text;
      td.classList.toggle("late", due.late);
    }
  }, 1000);

  const source = new EventSource("/events");
  source.addEventListener("worklist", function (e) { rows = JSON.parse(e.data).tasks; render(); });
  source.onerror = function () { state.textContent = "Reconnecting…"; };
})();
