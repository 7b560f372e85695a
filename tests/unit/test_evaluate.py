from pipeline.cli.evaluate import score

GOLD = [
    {"id": "a", "urgency": "emergency", "intents": ["symptom_report"], "role": "clinician",
     "callback_number": "+12155550100",
     "dob": None, "patient_name": "Ann Lee", "caller_name": "Ann Lee", "medications": [], "caller_relationship": "self",
     "language": "en"},
    {"id": "b", "urgency": "routine", "intents": ["medication_refill", "appointment"], "role": "nurse",
     "callback_number": None, "dob": "1950-01-02", "patient_name": "Bo Day", "caller_name": "Bo Day",
     "medications": ["Lisinopril"], "caller_relationship": "self", "language": "en"},
]


def test_perfect_predictions_score_one() -> None:
    m = score(GOLD, {r["id"]: dict(r) for r in GOLD})
    assert (m["emergency_recall"], m["urgency_accuracy"], m["intent_micro_f1"], m["role_accuracy"]) == (1, 1, 1, 1)
    assert set(m["entity_exact_match"].values()) == {1.0}
    assert m["under_triaged"] == []


def test_under_triage_and_partial_intents_are_counted() -> None:
    preds = {"a": {**GOLD[0], "urgency": "urgent", "role": "nurse"},
             "b": {**GOLD[1], "intents": ["medication_refill", "billing_insurance"], "medications": ["lisinopril"]}}
    m = score(GOLD, preds)
    assert m["emergency_recall"] == 0
    assert m["under_triaged"] == ["a"] and m["under_triaged_emergencies"] == ["a"]
    assert m["urgency_confusion"]["emergency"]["urgent"] == 1
    assert m["role_accuracy"] == 0.5
    # tp 2 (symptom_report, medication_refill), fp 1, fn 1 -> P = R = 2/3
    assert abs(m["intent_micro_f1"] - 2 / 3) < 1e-9
    assert m["entity_exact_match"]["medications"] == 1.0  # case does not matter


def test_rows_without_prediction_are_reported_missing() -> None:
    m = score(GOLD, {"a": dict(GOLD[0])})
    assert m["n"] == 1 and m["missing"] == ["b"]


def test_gate_names_each_shortfall_and_unscored_rows() -> None:
    from pipeline.cli.evaluate import parse_minimums, shortfalls

    gate = parse_minimums(["emergency_recall=1.0", "urgency_acc=0.9", "callback_number=0.5"])
    assert gate == {"emergency_recall": 1.0, "urgency_accuracy": 0.9, "callback_number": 0.5}
    perfect = score(GOLD, {r["id"]: dict(r) for r in GOLD})
    assert shortfalls(perfect, gate) == []
    missed = score(GOLD, {"a": {**GOLD[0], "urgency": "urgent"}, "b": dict(GOLD[1])})
    assert shortfalls(missed, gate) == ["emergency_recall 0.000 < 1.0", "urgency_accuracy 0.500 < 0.9"]
    partial = score(GOLD, {"b": dict(GOLD[1])})
    assert "1 voicemails not scored" in shortfalls(partial, gate)


def test_gate_refuses_unknown_metrics() -> None:
    import pytest

    from pipeline.cli.evaluate import parse_minimums

    with pytest.raises(ValueError, match="expected METRIC=VALUE"):
        parse_minimums(["emergency_recal=1"])


def test_names_count_near_spellings_separately() -> None:
    from pipeline.cli.evaluate import near_name

    assert near_name("Renata Kowalewska", "Renata Kowelska") and near_name("José Peña", "jose pena")
    assert not near_name("Corinne Latimer", "Green Ladimer") and not near_name("Ellis Harrow", "Ellis")
    assert near_name(None, None) and not near_name("Ann Lee", None)
    preds = {"a": {**GOLD[0], "patient_name": "Anne Lee"}, "b": {**GOLD[1], "patient_name": "Bob Dale"}}
    m = score(GOLD, preds)
    assert m["entity_exact_match"]["patient_name"] == 0
    assert m["name_near_match"]["patient_name"] == 0.5
