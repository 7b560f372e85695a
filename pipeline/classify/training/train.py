"""The learned part of triage: a spaCy multi-label text classifier for intents.

`python -m pipeline train-intents` regenerates the training corpus from `templates.py` (written
fragments, combined, then roughened the way phone transcripts are: no capitals, no punctuation,
fillers, mishearings) and trains the model into `pipeline/classify/intent_model/`, which is
versioned in the repository. Fixed seeds: the same command gives the same corpus and model.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from pipeline.classify.training import templates as t

HERE = Path(__file__).parent
CORPUS = HERE / "corpus.jsonl"
MODEL_DIR = HERE.parent / "intent_model"
INTENTS = list(t.FRAGMENTS)
# Words phone transcription tends to get wrong, and what it writes instead.
MISHEARINGS = {"prescription": "subscription", "refill": "re fill", "results": "result", "referral": "referal",
               "appointment": "appointments", "insurance": "assurance", "portal": "port all", "copay": "copy",
               "biopsy": "bio see", "records": "record", "cardiologist": "cardiology"}
FILLERS = ["um", "uh", "you know", "like", "so"]


def _fill(text: str, rng: random.Random) -> str:
    slots = {"name": t.NAMES, "drug": t.DRUGS, "day": t.DAYS, "relative": t.RELATIVES, "symptom": t.SYMPTOMS,
             "number": t.NUMBERS}
    return re.sub(r"\{(\w+)\}", lambda m: rng.choice(slots[m.group(1)]), text)


def _roughen(text: str, rng: random.Random) -> str:
    words = text.split()
    words = [MISHEARINGS.get(w.lower().strip(".,?"), w) if rng.random() < 0.15 else w for w in words]
    for _ in range(rng.choice([0, 0, 1, 2])):
        words.insert(rng.randrange(len(words) + 1), rng.choice(FILLERS))
    text = " ".join(words)
    if rng.random() < 0.5:
        text = text.lower()
    if rng.random() < 0.3:
        text = re.sub(r"[.,?!]", "", text)
    return text


def generate(n: int = 3000, seed: int = 13) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        intents = rng.sample(INTENTS[:-1], 2) if rng.random() < 0.25 else [rng.choice(INTENTS)]
        body = " ".join(_fill(rng.choice(t.FRAGMENTS[i]), rng) for i in intents)
        text = " ".join(p for p in (_fill(rng.choice(t.OPENERS), rng), body, _fill(rng.choice(t.CLOSERS), rng)) if p)
        rows.append({"text": _roughen(text, rng), "intents": intents})
    return rows


def train(rows: list[dict], out: Path, epochs: int = 8, seed: int = 13) -> None:
    fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2,
        "no_output_layer": False, "length": 2 ** 16}})
    for intent in INTENTS:
        textcat.add_label(intent)
    examples = [Example.from_dict(nlp.make_doc(r["text"]), {"cats": {i: float(i in r["intents"]) for i in INTENTS}})
                for r in rows]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer, losses=losses)
        print(f"epoch {epoch + 1}: loss {losses['textcat_multilabel']:.3f}")
    nlp.meta["name"] = "voicemail_intents"
    nlp.meta["version"] = "1.0.0"
    nlp.to_disk(out)


def main() -> int:
    rows = generate()
    CORPUS.write_text("".join(json.dumps(r) + "\n" for r in rows))
    print(f"corpus: {len(rows)} examples -> {CORPUS}")
    train(rows, MODEL_DIR)
    print(f"model -> {MODEL_DIR}")
    return 0
