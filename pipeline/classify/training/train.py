"""Train the triage model (`semantic.py`) on the train and dev splits; choose its thresholds from
cross-validation.

`python -m pipeline train-triage` writes `pipeline/classify/model/` (`vocab.json`, `sif.npz`, `heads.npz`,
`meta.json`; `vectors.npy` and `tokenizer.json` come from `distill.py`, rebuilt with `--distill`).
Thresholds come from 5-fold out-of-fold predictions over every non-test voicemail: the emergency
threshold is the highest at which rules-or-model would have caught `TARGET_RECALL` of them; the
intent threshold the best micro-F1. The frozen test split is never read here. Training is full-batch
gradient descent (Adam, L2) from zeros, so the same data gives the same model.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

from pipeline.classify.redflags import find_flags
from pipeline.classify.semantic import CHAR_DIM, INTENTS, MODEL_DIR, RELATIONSHIPS, URGENCIES, Encoder, Heads, words
from pipeline.classify.training.split import load_part

MIN_DF = 2
MAX_VOCAB = 20000
TARGET_RECALL = 0.99  # cross-validated emergency recall (rules or model) the threshold must reach
FOLDS = 5
REVIEW_FRACTION = 0.5  # p(emergency) above this fraction of the threshold -> needs_review


def build_vocab(rows: list[dict]) -> list[str]:
    df = Counter(w for r in rows for w in set(words(r["text"])))
    kept = [w for w, n in df.items() if n >= MIN_DF]
    return sorted(sorted(kept, key=lambda w: (-df[w], w))[:MAX_VOCAB])  # ties by spelling: no hash-seed order


def featurize(encoder: Encoder, rows: list[dict]) -> np.ndarray:
    return np.stack([encoder.features(r["text"], find_flags(r["text"])) for r in rows])


def fit(x: np.ndarray, rows: list[dict], epochs: int = 400, l2: float = 1e-3, lr: float = 0.02,
        floor: float = 0.1) -> Heads:
    mean = x.mean(0)
    scale = np.maximum(x.std(0), floor)
    z = (x - mean) / scale
    n, f = z.shape
    y_u = np.zeros((n, len(URGENCIES)), np.float32)
    y_u[np.arange(n), [URGENCIES.index(r["urgency"]) for r in rows]] = 1
    y_i = np.array([[i in r["intents"] for i in INTENTS] for r in rows], np.float32)
    y_r = np.zeros((n, len(RELATIONSHIPS)), np.float32)
    y_r[np.arange(n), [RELATIONSHIPS.index(r["caller_relationship"]) for r in rows]] = 1
    # Balanced classes: the corpus holds more emergencies than a real mailbox; the emergency
    # threshold, not the prior, decides how readily the model raises a message.
    per_class = n / (len(URGENCIES) * np.maximum(y_u.sum(0), 1))
    weight = (y_u @ per_class)[:, None].astype(np.float32)
    params = [np.zeros((f, len(URGENCIES)), np.float32), np.zeros(len(URGENCIES), np.float32),
              np.zeros((f, len(INTENTS)), np.float32), np.zeros(len(INTENTS), np.float32),
              np.zeros((f, len(RELATIONSHIPS)), np.float32), np.zeros(len(RELATIONSHIPS), np.float32)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for t in range(1, epochs + 1):
        p_u, p_i, p_r = Heads(mean, scale, *params).predict_standardized(z)
        g_u = weight * (p_u - y_u) / n
        g_i = (p_i - y_i) / n
        g_r = (p_r - y_r) / n
        grads = [z.T @ g_u + l2 * params[0], g_u.sum(0), z.T @ g_i + l2 * params[2], g_i.sum(0),
                 z.T @ g_r + l2 * params[4], g_r.sum(0)]
        for k, g in enumerate(grads):
            m[k] = 0.9 * m[k] + 0.1 * g
            v[k] = 0.999 * v[k] + 0.001 * g * g
            params[k] -= lr * (m[k] / (1 - 0.9 ** t)) / (np.sqrt(v[k] / (1 - 0.999 ** t)) + 1e-8)
    return Heads(mean, scale, *params)


def best_intent_threshold(p_i: np.ndarray, rows: list[dict]) -> tuple[float, float]:
    """(micro-F1, threshold) of the best intent threshold; the most likely intent is always kept."""
    y_i = np.array([[i in r["intents"] for i in INTENTS] for r in rows])
    best = (0.0, 0.5)
    for th in np.arange(0.2, 0.75, 0.05):
        pred = p_i >= th
        pred[np.arange(len(rows)), p_i.argmax(1)] = True
        tp, fp, fn = (pred & y_i).sum(), (pred & ~y_i).sum(), (~pred & y_i).sum()
        best = max(best, (float(2 * tp / (2 * tp + fp + fn)), float(round(th, 2))))
    return best


def choose_thresholds(p_u: np.ndarray, p_i: np.ndarray, rows: list[dict]) -> dict:
    """From out-of-fold predictions: the highest emergency threshold that, with the rules, reaches
    TARGET_RECALL; the intent threshold with the best micro-F1."""
    emergency = np.array([r["urgency"] == "emergency" for r in rows])
    by_rule = np.array([any(f.urgency == "emergency" for f in find_flags(r["text"])) for r in rows])
    chosen = 0.01
    for th in np.arange(0.5, 0.0, -0.01):
        caught = by_rule | (p_u[:, 0] >= th)
        if (caught & emergency).sum() >= TARGET_RECALL * emergency.sum():
            chosen = float(th)
            break
    caught = by_rule | (p_u[:, 0] >= chosen)
    return {"emergency": round(chosen, 2), "review": round(chosen * REVIEW_FRACTION, 3),
            "intent": best_intent_threshold(p_i, rows)[1],
            "cv_emergency_recall": round(float((caught & emergency).sum() / emergency.sum()), 4),
            "cv_false_emergencies": round(float((caught & ~emergency).sum() / (~emergency).sum()), 4)}


def out_of_fold(x: np.ndarray, rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Each voicemail predicted by a model that did not see it (fold = position mod FOLDS)."""
    fold = np.arange(len(rows)) % FOLDS
    p_u, p_i = np.zeros((len(rows), len(URGENCIES))), np.zeros((len(rows), len(INTENTS)))
    for k in range(FOLDS):
        seen = fold != k
        heads = fit(x[seen], [r for r, s in zip(rows, seen, strict=True) if s])
        p_u[~seen], p_i[~seen], _ = heads.predict(x[~seen])
    return p_u, p_i


def compare(model_dir: Path = MODEL_DIR) -> list[dict]:
    """The model alone (no rules) on the dev split, per feature family: how the features were chosen."""
    train_rows, dev_rows = load_part("train"), load_part("dev")
    encoder = Encoder(model_dir, build_vocab(train_rows))
    encoder.fit_sif([r["text"] for r in train_rows])
    x_train, x_dev = featurize(encoder, train_rows), featurize(encoder, dev_rows)
    d, v = encoder.dim * 3, len(encoder.vocab)
    family = {"embeddings": np.arange(0, d), "words": np.arange(d, d + v), "pieces": np.arange(d + v, d + v + CHAR_DIM),
              "concepts": np.arange(d + v + CHAR_DIM, x_dev.shape[1])}
    gold = np.array([URGENCIES.index(r["urgency"]) for r in dev_rows])
    emergency = gold == 0
    table = []
    for parts in (("words",), ("pieces",), ("embeddings",), ("concepts",), ("words", "concepts"),
                  ("words", "pieces", "concepts"), ("embeddings", "words", "concepts"),
                  ("embeddings", "words", "pieces", "concepts")):
        cols = np.concatenate([family[p] for p in parts])
        p_u, p_i, _ = fit(x_train[:, cols], train_rows).predict(x_dev[:, cols])
        catch_all = p_u[emergency, 0].min()  # the threshold at which the model alone misses no dev emergency
        table.append({"features": "+".join(parts), "urgency_accuracy": float((p_u.argmax(1) == gold).mean()),
                      "emergency_recall_at_0.5": float((p_u[emergency, 0] >= 0.5).mean()),
                      "false_alarms_at_full_recall": float((p_u[~emergency, 0] >= catch_all).mean()),
                      "intent_micro_f1": best_intent_threshold(p_i, dev_rows)[0]})
    return table


def train(model_dir: Path = MODEL_DIR, distill_vectors: bool = False) -> dict:
    if distill_vectors or not (model_dir / "vectors.npy").exists():
        from pipeline.classify.training.distill import distill

        distill(model_dir)
    rows = load_part("train") + load_part("dev")
    vocab = build_vocab(rows)
    encoder = Encoder(model_dir, vocab)
    encoder.fit_sif([r["text"] for r in rows])
    x = featurize(encoder, rows)
    thresholds = choose_thresholds(*out_of_fold(x, rows), rows)
    heads = fit(x, rows)
    encoder.save_sif(model_dir)
    (model_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
    heads.save(model_dir / "heads.npz")
    meta = {"version": "triage-5", "trained_on": len(rows), "vocab": len(vocab), "thresholds": thresholds}
    (model_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta
