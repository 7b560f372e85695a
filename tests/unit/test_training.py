"""The triage model is reproducible from the shipped corpus, and the split stays frozen."""

import json
from pathlib import Path

import numpy as np

from pipeline.classify.semantic import INTENTS, MODEL_DIR, RELATIONSHIPS, URGENCIES, Encoder, Heads
from pipeline.classify.training.split import DATA, PARTS, load_part, part_of
from pipeline.classify.training.train import (
    FALSE_SHARE,
    FOLDS,
    _fits,
    best_role_thresholds,
    build_vocab,
    choose_thresholds,
    featurize,
    fit,
    tradeoff,
)


def test_split_is_frozen_by_id() -> None:
    seen: dict[str, str] = {}
    for part in PARTS:
        for row in load_part(part):
            assert part_of(row["id"]) == part, row["id"]
            assert row["id"] not in seen, f"{row['id']} in {seen.get(row['id'])} and {part}"
            seen[row["id"]] = part
    test_ids = {r["id"] for r in load_part("test")}
    audio_ids = {json.loads(line)["id"] for f in DATA.glob("test.*.jsonl") for line in f.read_text().splitlines()}
    assert audio_ids and audio_ids <= test_ids
    assert {"train", "dev", "test"} == set(seen.values())


def test_training_is_deterministic_and_learns(tmp_path: Path) -> None:
    rows = load_part("train")[::4]
    encoder = Encoder(MODEL_DIR, build_vocab(rows))
    x = featurize(encoder, rows)
    a, b = fit(x, rows, epochs=60, members=2, net_epochs=20), fit(x, rows, epochs=60, members=2, net_epochs=20)
    assert np.array_equal(a.w_hidden, b.w_hidden) and np.array_equal(a.w_urgency, b.w_urgency)
    assert np.array_equal(a.w_intents, b.w_intents) and np.array_equal(a.w_relationship, b.w_relationship)
    assert np.array_equal(a.w_roles, b.w_roles)
    assert not np.array_equal(a.w_hidden[0], a.w_hidden[1])  # the members start from different seeds
    refill = "Hi it's Nora, could you send a refill of my levothyroxine to the pharmacy, I have a week left."
    p_urgency, p_intents, _, _ = a.predict(encoder.features(refill, []))
    assert INTENTS[int(p_intents.argmax())] == "medication_refill"
    assert URGENCIES[int(p_urgency.argmax())] == "routine"
    mother = "Hello, I'm calling about my mother, she has had a bad cough since Sunday, could the nurse call me."
    assert RELATIONSHIPS[int(a.predict(encoder.features(mother, []))[2].argmax())] == "caregiver"

    # What is stored is what was scored: the half-precision hidden layers load back bit for bit.
    a.save(tmp_path / "heads.npz")
    loaded = Heads.load(tmp_path / "heads.npz")
    x_refill = encoder.features(refill, [])
    for before, after in zip(a.predict(x_refill), loaded.predict(x_refill), strict=True):
        assert np.array_equal(before, after)


def test_fits_in_worker_processes_are_the_fits_in_one() -> None:
    """train-triage's six fits in two processes give what one process gives: the same folds, each voicemail
    predicted by the fit that did not see it, and the final fit on all rows (up to BLAS rounding)."""
    rows = load_part("train")[::12]
    x = featurize(Encoder(MODEL_DIR, build_vocab(rows)), rows)
    small = {"epochs": 30, "members": 1, "net_epochs": 3}
    (p_u, p_i, p_c), heads = _fits(x, rows, list(range(FOLDS)), workers=1, final=True, **small)
    (q_u, q_i, q_c), parallel = _fits(x, rows, list(range(FOLDS)), workers=2, final=True, **small)
    assert heads is not None and parallel is not None
    for a, b in ((p_u, q_u), (p_i, q_i), (p_c, q_c), (heads.w_hidden, parallel.w_hidden),
                 (heads.w_intents, parallel.w_intents)):
        assert a.shape == b.shape and np.abs(a).max() > 0
        np.testing.assert_allclose(a, b, atol=1e-3)
    # every voicemail was predicted by a fit without it: not the final fit's predictions
    assert not np.allclose(p_u, heads.predict(x)[0], atol=1e-3)


def test_vocabulary_does_not_depend_on_the_hash_seed() -> None:
    """Words tied in document frequency at the vocabulary cut are chosen by spelling, so two training
    runs on the same data ship the same vocab.json (set order varies with PYTHONHASHSEED)."""
    import subprocess
    import sys

    code = ("import json; from pipeline.classify.training import train as t; t.MAX_VOCAB = 7; "
            "rows = [{'text': 'alpha beta gamma delta epsilon zeta eta theta iota kappa'}] * 2; "
            "print(json.dumps(t.build_vocab(rows)))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2", "3", "4")}
    assert len(runs) == 1, runs


def test_tradeoff_counts_misses_and_false_alarms_of_rules_or_model() -> None:
    p = np.array([0.9, 0.2, 0.05, 0.6, 0.1, 0.01])
    by_rule = np.array([False, False, True, False, False, False])
    emergency = np.array([True, True, True, False, False, True])
    high, low = tradeoff(p, by_rule, emergency, thresholds=(0.5, 0.1))
    # at 0.5: the rules catch the third, the model the first; the second and last are missed; the fourth raised
    assert high == {"threshold": 0.5, "missed": 2, "false_emergencies": 1, "false_share": 0.5, "by_model_alone": 1}
    # at 0.1: the second is caught too, and the fifth is raised as well
    assert low == {"threshold": 0.1, "missed": 1, "false_emergencies": 2, "false_share": 1.0, "by_model_alone": 2}


def test_emergency_threshold_spends_the_false_alarm_budget_with_the_rules() -> None:
    """The lowest threshold at which rules or model raise at most FALSE_SHARE of the non-emergencies."""
    assert FALSE_SHARE == 0.09
    plain = {"text": "Please call me back about moving my appointment.", "urgency": "routine", "role": "front_desk",
             "intents": ["appointment"]}
    flagged = {**plain, "text": "He has crushing chest pain right now."}  # raised by the rules whatever p says
    emergency = {**plain, "urgency": "emergency", "role": "clinician", "intents": ["symptom_report"]}
    rows = [plain] * 99 + [flagged] + [emergency] * 3
    p_u = np.zeros((len(rows), 4))
    p_u[:8, 0], p_u[8, 0], p_u[100:, 0] = 0.3, 0.145, 0.5
    chosen = choose_thresholds(p_u, np.zeros((len(rows), len(INTENTS))), np.zeros((len(rows), 2)), rows)
    # at 0.14 or below the model raises 9 and the rules 1: 10 of 100. From 0.15 it is 8 + 1 = 9.
    assert chosen["emergency"] == 0.15 and chosen["review"] == 0.075
    assert chosen["cv_false_emergencies"] == 0.09 and chosen["cv_emergency_recall"] == 1.0


def test_role_heads_learn_from_the_calls_they_decide() -> None:
    """The urgent head learns from urgent calls alone: on the training calls it scores those labelled for the
    clinician above those labelled for the nurse, and the roles of other calls do not move it."""
    rows = load_part("train")[::4]
    x = featurize(Encoder(MODEL_DIR, build_vocab(rows)), rows)
    heads = fit(x, rows, epochs=60, members=1, net_epochs=1)
    p_clinician = heads.predict(x)[3][:, 1]
    urgent = np.array([r["urgency"] == "urgent" for r in rows])
    clinician = np.array([r["role"] == "clinician" for r in rows])
    assert p_clinician[urgent & clinician].mean() > p_clinician[urgent & ~clinician].mean() + 0.2
    relabelled = [{**r, "role": "nurse"} if r["urgency"] == "emergency" else r for r in rows]
    assert np.array_equal(fit(x, relabelled, epochs=60, members=1, net_epochs=1).w_roles[:, 1], heads.w_roles[:, 1])


def test_role_thresholds_are_chosen_where_each_head_applies() -> None:
    rows = [{"urgency": "routine", "role": "nurse", "intents": ["appointment"]},
            {"urgency": "routine", "role": "front_desk", "intents": ["appointment"]},
            {"urgency": "routine", "role": "nurse", "intents": ["medication_refill"]},
            {"urgency": "urgent", "role": "clinician", "intents": ["symptom_report"]},
            {"urgency": "urgent", "role": "nurse", "intents": ["symptom_report"]},
            {"urgency": "emergency", "role": "clinician", "intents": ["symptom_report"]},
            {"urgency": "emergency", "role": "clinician", "intents": ["symptom_report"]}]
    p_i = np.array([[float(r["intents"][0] == i) for i in INTENTS] for r in rows])
    # routine: the nurse call scores 0.7 and the front-desk call 0.4; the refill is the nurse's by its intent
    # even at 0.1. urgent: the clinician call 0.55, the nurse call 0.45. The emergencies' 0.3 must not count
    # (if they did, 0.3 would be right for three calls of four).
    p_c = np.array([[0.7, 0], [0.4, 0], [0.1, 0], [0, 0.55], [0, 0.45], [0, 0.3], [0, 0.3]])
    chosen = best_role_thresholds(p_i, p_c, 0.5, rows)
    assert 0.4 < chosen["nurse_if_routine"] <= 0.7 and 0.45 < chosen["clinician_if_urgent"] <= 0.55
