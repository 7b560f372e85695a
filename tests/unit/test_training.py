"""The learned intent model is reproducible from the shipped templates by one command."""

import json

import spacy

from pipeline.classify.training.train import CORPUS, INTENTS, generate, train


def test_corpus_is_regenerated_identically() -> None:
    rows = generate()
    assert rows == generate()
    assert CORPUS.read_text().splitlines()[0] == json.dumps(rows[0])  # the shipped corpus is this one
    assert {i for r in rows for i in r["intents"]} == set(INTENTS)


def test_training_is_deterministic_and_learns(tmp_path) -> None:
    rows = generate(n=600)
    train(rows, tmp_path / "a", epochs=3)
    train(rows, tmp_path / "b", epochs=3)
    a, b = spacy.load(tmp_path / "a"), spacy.load(tmp_path / "b")
    text = "i need a refill on my metformin please"
    assert a(text).cats == b(text).cats
    assert max(a(text).cats, key=a(text).cats.get) == "medication_refill"
