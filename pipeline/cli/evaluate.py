"""`python -m pipeline eval SET.jsonl [--audio DIR] [--json] [--min METRIC=VALUE ...]`: per-field metrics
on a LABELS.md set, on its transcripts or through its audio (transcribe, then classify), the way the
workers do. With `--min` it is a gate: exit 1 when a figure falls short or a voicemail went unscored."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher
from pathlib import Path
from typing import IO, Any

from pipeline.config import Settings

URGENCIES = ["emergency", "urgent", "routine", "informational"]  # most to least urgent
ENTITY_FIELDS = ["callback_number", "dob", "patient_name", "caller_name", "medications", "caller_relationship",
                 "language"]


def load_set(path: str) -> list[dict]:
    """The labeled voicemails of a JSON-lines file."""
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def _same(field: str, gold: Any, pred: Any) -> bool:
    if field == "medications":
        return sorted(m.lower() for m in gold or []) == sorted(m.lower() for m in pred or [])
    if isinstance(gold, str) and isinstance(pred, str):
        return gold.casefold() == pred.casefold()
    return gold == pred


NAME_FIELDS = ["patient_name", "caller_name"]
NEAR_NAME = 0.8  # similarity of two spellings of a name that a person would read as the same name


def near_name(gold: str | None, pred: str | None) -> bool:
    """The same name spelled nearly alike ("Renata Kowelska" for "Renata Kowalewska"); both absent counts."""
    if not gold or not pred:
        return gold == pred

    def norm(name: str) -> str:
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
        return " ".join(re.sub(r"[^a-z ]", " ", plain).split())

    return SequenceMatcher(None, norm(gold), norm(pred)).ratio() >= NEAR_NAME


def score(rows: list[dict], preds: dict[str, dict]) -> dict:
    """Metrics over the rows that have a prediction; `missing` lists rows without one."""
    scored = [r for r in rows if r["id"] in preds]
    n = len(scored)
    confusion = {g: dict.fromkeys(URGENCIES, 0) for g in URGENCIES}
    under, under_emergency = [], []
    tp = fp = fn = 0
    role_ok = urgency_ok = 0
    entity_ok: Counter[str] = Counter()
    near_ok: Counter[str] = Counter()
    for row in scored:
        pred = preds[row["id"]]
        confusion[row["urgency"]][pred["urgency"]] += 1
        urgency_ok += row["urgency"] == pred["urgency"]
        if URGENCIES.index(pred["urgency"]) > URGENCIES.index(row["urgency"]):
            under.append(row["id"])
            if row["urgency"] == "emergency":
                under_emergency.append(row["id"])
        gold_i, pred_i = set(row["intents"]), set(pred["intents"])
        tp, fp, fn = tp + len(gold_i & pred_i), fp + len(pred_i - gold_i), fn + len(gold_i - pred_i)
        role_ok += row["role"] == pred["role"]
        for field in ENTITY_FIELDS:
            entity_ok[field] += _same(field, row.get(field), pred.get(field))
        for field in NAME_FIELDS:
            near_ok[field] += near_name(row.get(field), pred.get(field))
    emergencies = sum(confusion["emergency"].values())
    per_protocol: dict[str, list[int]] = {}  # protocol -> [caught, emergencies], where the set names protocols
    for row in scored:
        if row["urgency"] == "emergency" and row.get("protocol"):
            tally = per_protocol.setdefault(row["protocol"], [0, 0])
            tally[0] += preds[row["id"]]["urgency"] == "emergency"
            tally[1] += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "n": n,
        "missing": sorted(r["id"] for r in rows if r["id"] not in preds),
        "emergency_recall": confusion["emergency"]["emergency"] / emergencies if emergencies else None,
        "under_triaged": under,
        "under_triaged_emergencies": under_emergency,
        "emergency_recall_by_protocol": dict(sorted(per_protocol.items())),
        "urgency_accuracy": urgency_ok / n if n else None,
        "urgency_confusion": confusion,
        "intent_micro_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "role_accuracy": role_ok / n if n else None,
        "needs_review": sum(bool(preds[r["id"]].get("needs_review")) for r in scored),
        "entity_exact_match": {f: entity_ok[f] / n for f in ENTITY_FIELDS} if n else {},
        "name_near_match": {f: near_ok[f] / n for f in NAME_FIELDS} if n else {},
    }


def predict(s: Settings, rows: list[dict], audio_dir: str | None) -> tuple[dict[str, dict], dict[str, str]]:
    """Triage every voicemail of the set (through Whisper with `audio_dir`); predictions (LABELS.md-shaped, like
    the set) and rejections by id."""
    from pipeline import events
    from pipeline.classify.core import Classifier
    from pipeline.errors import Rejected
    from pipeline.service import AudioTriage

    preds: dict[str, dict] = {}
    rejected: dict[str, str] = {}
    if audio_dir is None:
        classifier = Classifier()
        for row in rows:
            preds[row["id"]] = events.to_wire(classifier.classify(row["text"], language=row.get("language")))
        return preds, rejected
    run = AudioTriage(s, route=False)
    for row in rows:
        files = sorted(Path(audio_dir).glob(f"{row['id']}.*"))
        if not files:
            rejected[row["id"]] = "no_audio_file"
            continue
        try:
            preds[row["id"]] = events.to_wire(run.triage(files[0].read_bytes())[1])
        except Rejected as exc:
            rejected[row["id"]] = exc.reason
    return preds, rejected


def report(metrics: dict, out: IO[str]) -> None:
    """Print the metrics as the human-readable report."""
    def pct(v: float | None) -> str:
        return "-" if v is None else f"{v:.3f}"

    print(f"voicemails scored: {metrics['n']}" + (f"  missing: {', '.join(metrics['missing'])}"
                                                  if metrics["missing"] else ""), file=out)
    print(f"emergency recall:          {pct(metrics['emergency_recall'])}", file=out)
    print(f"under-triaged:             {len(metrics['under_triaged'])}"
          + (f" {', '.join(metrics['under_triaged'])}" if metrics["under_triaged"] else ""), file=out)
    print(f"under-triaged emergencies: {len(metrics['under_triaged_emergencies'])}", file=out)
    print(f"urgency accuracy:          {pct(metrics['urgency_accuracy'])}", file=out)
    print(f"intent micro-F1:           {pct(metrics['intent_micro_f1'])}", file=out)
    print(f"role accuracy:             {pct(metrics['role_accuracy'])}", file=out)
    print(f"needs_review:              {metrics['needs_review']}", file=out)
    for field, value in metrics["entity_exact_match"].items():
        print(f"{field + ':':26} {pct(value)}", file=out)
    for field, value in metrics["name_near_match"].items():
        print(f"{field + ' (near):':26} {pct(value)}", file=out)
    if metrics["emergency_recall_by_protocol"]:
        by_protocol = metrics["emergency_recall_by_protocol"].items()
        print("emergencies caught by protocol: " + ", ".join(
            f"{name} {caught}/{total}" for name, (caught, total) in by_protocol), file=out)
    print("urgency confusion (rows gold, columns predicted):", file=out)
    print(" " * 15 + "".join(f"{u[:9]:>10}" for u in URGENCIES), file=out)
    for gold, row in metrics["urgency_confusion"].items():
        print(f"{gold:15}" + "".join(f"{row[p]:10d}" for p in URGENCIES), file=out)


ALIASES = {"urgency_acc": "urgency_accuracy", "intent_f1": "intent_micro_f1", "role_acc": "role_accuracy"}


def parse_minimums(specs: list[str]) -> dict[str, float]:
    """["emergency_recall=1.0", ...] -> {"emergency_recall": 1.0}; unknown metric names are an error."""
    known = {"emergency_recall", "urgency_accuracy", "intent_micro_f1", "role_accuracy", *ENTITY_FIELDS,
             *(f + "_near" for f in NAME_FIELDS)}
    minimums = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        name = ALIASES.get(name.strip(), name.strip())
        if not sep or name not in known:
            raise ValueError(f"--min {spec!r}: expected METRIC=VALUE with METRIC one of {', '.join(sorted(known))}")
        minimums[name] = float(value)
    return minimums


def shortfalls(metrics: dict, minimums: dict[str, float]) -> list[str]:
    """What the gate fails on: each figure below its minimum, and any voicemail left unscored."""
    failed = []
    for name, floor in minimums.items():
        if name in ENTITY_FIELDS:
            value = metrics["entity_exact_match"].get(name)
        elif name.endswith("_near"):
            value = metrics["name_near_match"].get(name.removesuffix("_near"))
        else:
            value = metrics[name]
        if value is None or value < floor:
            failed.append(f"{name} {'-' if value is None else f'{value:.3f}'} < {floor}")
    if minimums and metrics["missing"]:
        failed.append(f"{len(metrics['missing'])} voicemails not scored")
    return failed


def evaluate(s: Settings, set_path: str, audio_dir: str | None, as_json: bool, minimums: Sequence[str] = (),
             out: IO[str] = sys.stdout) -> int:
    """Score the set, print the figures, and exit non-zero when a `--min` floor is not met."""
    gate = parse_minimums(list(minimums))
    rows = load_set(set_path)
    preds, rejected = predict(s, rows, audio_dir)
    metrics = score(rows, preds)
    metrics["rejected"] = rejected
    failed = shortfalls(metrics, gate)
    metrics["gate_failed"] = failed
    if as_json:
        print(json.dumps(metrics, indent=2), file=out)
    else:
        report(metrics, out)
        for vid, reason in rejected.items():
            print(f"not transcribed: {vid} ({reason})", file=out)
        if gate:
            print("gate: " + ("FAILED: " + "; ".join(failed) if failed else "passed"), file=out)
    return 1 if failed else 0
