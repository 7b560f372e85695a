import pytest

from pipeline.classify.core import Classifier
from pipeline.classify.redflags import Flag, find_flags


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier()


def test_red_flag_is_emergency_for_a_clinician(classifier: Classifier) -> None:
    t = classifier.classify("Hi this is Ann Lee. My husband can't breathe and his lips are turning blue.")
    assert t.urgency == "emergency"
    assert t.role == "clinician"
    assert t.intents[0] == "symptom_report"
    flags = [e for e in t.evidence if e.field == "urgency"]
    assert flags and all(e.rule.startswith("red_flag:") for e in flags)


def test_negated_red_flag_does_not_trigger(classifier: Classifier) -> None:
    t = classifier.classify("This is Sam Ford, no chest pain or anything, I just need a refill on my lisinopril.")
    assert t.urgency == "routine"
    assert t.intents == ("medication_refill",)
    assert t.role == "nurse"
    assert t.medications == ("lisinopril",)


def test_past_episode_is_history_not_emergency(classifier: Classifier) -> None:
    t = classifier.classify("I was in the emergency room last week for chest pain and it checked out fine. "
                            "I need to make a follow up appointment.")
    assert t.urgency == "routine"
    assert "appointment" in t.intents


def test_red_flag_wins_over_routine_content(classifier: Classifier) -> None:
    t = classifier.classify("I need to reschedule my appointment, also my face is drooping and my words are slurred.")
    assert t.urgency == "emergency"


def test_infant_fever_is_emergency(classifier: Classifier) -> None:
    t = classifier.classify("My son is six weeks old and he has a fever of a hundred point five.")
    assert t.urgency == "emergency"
    assert any(e.rule == "red_flag:infant_fever" for e in t.evidence)


def test_out_of_critical_medication_is_at_least_urgent(classifier: Classifier) -> None:
    t = classifier.classify("She ran out of her insulin this morning and needs a new prescription today.")
    assert t.urgency in ("urgent", "emergency")  # a floor the rules guarantee; the model may raise it
    assert any(e.rule == "urgent:critical_med_out" for e in t.evidence)
    routine = classifier.classify("Could you renew my insulin prescription? I have about two weeks of pens left.")
    assert routine.urgency == "routine" and routine.role == "nurse"


@pytest.mark.parametrize(("text", "rule"), [
    # the last dose of a critical medicine, told the other way round
    ("I'm on Eliquis for my heart rhythm. I took my last one this morning and the pharmacy needs a new script.",
     "urgent:critical_med_out"),
    ("Calling about his Lamictal. He has one dose left, for tonight, and the prescription is expired.",
     "urgent:critical_med_out"),
    ("Pharmacy calling: her Lantus isn't covered anymore and she's completely out as of today.",
     "urgent:critical_med_out"),
    ("His Depakote refill is stuck waiting on the insurance, and he has no pills left for the evening dose.",
     "urgent:critical_med_out"),
    ("Dad came home on oxygen yesterday and he's on his last tank, the supplier can't deliver till Monday.",
     "urgent:critical_med_out"),
    # emergency contraception works only for a few days
    ("The condom came off last night. Can the doctor call in the morning-after pill?", "urgent:pregnancy"),
    ("Worried I'm pregnant now, the condom slipped off on Saturday, can I still take the morning-after pill?",
     "urgent:pregnancy"),
    # a systolic reading of 180 or more
    ("My pressure cuff read one ninety over a hundred and ten twice this morning, I feel okay.", "urgent:bp_high"),
    ("Blood pressure 184/96 at the pharmacy kiosk, no headache or anything.", "urgent:bp_high"),
    ("La presión me salió ciento ochenta y cinco sobre cien hoy.", "urgent:bp_high"),
])
def test_an_urgent_sign_sets_a_floor_of_urgent(classifier: Classifier, text: str, rule: str) -> None:
    t = classifier.classify(text)
    assert t.urgency in ("urgent", "emergency")
    assert any(e.rule == rule for e in t.evidence)


def test_a_lower_or_past_reading_sets_no_floor(classifier: Classifier) -> None:
    for text in ("My blood pressure was 164/92 this morning and I'd like my dose reviewed.",
                 "Back in March my pressure was 190 over 100. The new pill fixed it, I just need my refill."):
        assert not any(e.rule == "urgent:bp_high" for e in classifier.classify(text).evidence)


def test_the_last_dose_of_another_medicine_is_not_a_critical_one(classifier: Classifier) -> None:
    t = classifier.classify("I took my last antibiotic this morning and feel better, thanks for the help.")
    assert not any(e.rule == "urgent:critical_med_out" for e in t.evidence)
    t = classifier.classify("I get out of breath on the stairs lately, could I try oxygen at night?")
    assert not any(e.rule == "urgent:critical_med_out" for e in t.evidence)


def test_billing_goes_to_billing(classifier: Classifier) -> None:
    t = classifier.classify("Hi this is Joe Park, I got a statement saying I owe money but my insurance covers it.")
    assert (t.urgency, t.role, t.intents) == ("informational", "billing", ("billing_insurance",))


def test_caregiver_names_patient_and_caller_apart(classifier: Classifier) -> None:
    t = classifier.classify("Hello, I'm calling about my father, Walter Grant. He's been vomiting all night. "
                            "I'm his daughter, Nora. Call me at six one oh, five five five, zero one nine nine.")
    assert t.caller_relationship == "caregiver"
    assert t.patient_name == "Walter Grant"
    assert t.caller_name == "Nora"
    assert t.callback_number == "+16105550199"


@pytest.mark.parametrize(("text", "relationship", "caller", "patient"), [
    ("Hello. Rosalind Barker. My ankle is still swollen from the fall, can someone call me back?",
     "self", "Rosalind Barker", "Rosalind Barker"),
    ("Hi, this is Tom Ogle, I look after my grandma, Edith Ogle, and she's been coughing for a week.",
     "caregiver", "Tom Ogle", "Edith Ogle"),
    ("Good afternoon, this is Priya from Lakeside Pharmacy about your patient, Harold Beck, "
     "the prescription for his warfarin needs a new dose.", "third_party", "Priya", "Harold Beck"),
    # A child or spouse named by first name alone carries the caller's family name.
    ("Hi, this is Dana Whitfield, my son Rory is four and he's had a rash on his arms since Sunday.",
     "caregiver", "Dana Whitfield", "Rory Whitfield"),
    # The name opens the message; a later capitalized word is not it.
    ("Lionel Ashby, I need my knee injection appointment moved. Mornings.", "self", "Lionel Ashby", "Lionel Ashby"),
    ("Oh, hi. Marisol Tan calling, I think my stitches are coming apart.", "self", "Marisol Tan", "Marisol Tan"),
    ("Morning. Otto Brandvold. The cough is back and I'd like to be seen.", "self", "Otto Brandvold", "Otto Brandvold"),
    ("Yes, hello, this is, um, Dr. Inés Carrow, a counselor; your patient Theo Marsh asked me to call.",
     "third_party", "Inés Carrow", "Theo Marsh"),
    # A middle initial or family-name particles are part of the name.
    ("Hi, this is Rafael de la Vega, I need to refill my allergy pills, please.", "self", "Rafael de la Vega",
     "Rafael de la Vega"),
    ("Hey, it's Jonah P. Wilkes, my blood pressure readings are up this week.", "self", "Jonah P. Wilkes",
     "Jonah P. Wilkes"),
])
def test_who_is_calling_about_whom(classifier: Classifier, text: str, relationship: str, caller: str,
                                   patient: str) -> None:
    t = classifier.classify(text)
    assert (t.caller_relationship, t.caller_name, t.patient_name) == (relationship, caller, patient)
    assert any(e.field == "caller_relationship" for e in t.evidence)


def test_preferred_callback_number_wins(classifier: Classifier) -> None:
    t = classifier.classify("Call me at home, two one five, five five five, zero one one one, or my cell, "
                            "two one five, five five five, zero one two two, the cell is better.")
    assert t.callback_number == "+12155550122"
    said_after = classifier.classify("You can try 610-555-0180 at work. 610-555-0181, that one's the best.")
    assert said_after.callback_number == "+16105550181"


@pytest.mark.parametrize(("text", "number"), [
    ("Our fax is eight one three, five five five, four four zero one, and the phone is eight one three, five five five,"
     " four four zero zero. Thanks.", "+18135554400"),
    ("Could you fax those to us at three one five, five five five, four oh two two? My direct line is three one five,"
     " five five five, four oh two one.", "+13155554021"),
    ("Please send her last office note. Fax number is three zero one, five five five, zero one six zero.", None),
    ("Can I fax it or drop it off? Nine two oh, five five five, six oh six six.", "+19205556066"),  # asks, names no fax
])
def test_a_fax_line_is_no_callback_number(classifier: Classifier, text: str, number: str | None) -> None:
    assert classifier.classify(text).callback_number == number


def test_preferred_callback_number_said_before_it(classifier: Classifier) -> None:
    t = classifier.classify("My home is 412-555-0170, but my cell is better, 412-555-0171. Thanks.")
    assert t.callback_number == "+14125550171"
    first = classifier.classify("Call 412-555-0170 or 412-555-0171, whichever.")
    assert first.callback_number == "+14125550170"


def test_dob_from_spoken_date(classifier: Classifier) -> None:
    t = classifier.classify("This is Mary Cole, date of birth July fourth, nineteen sixty two, returning your call.")
    assert t.dob == "1962-07-04"
    assert t.intents == ("returning_call",)
    assert t.role == "front_desk"


def test_dob_said_in_spanish(classifier: Classifier) -> None:
    t = classifier.classify("Buenas, habla Rosa Ibarra, fecha de nacimiento once de noviembre del sesenta y cuatro, "
                            "para pedir mi receta de la presión.", language="es")
    assert t.dob == "1964-11-11"
    father = classifier.classify("Llamo por mi papá, Tomás Ibarra, nació el veinte de enero de mil novecientos "
                                 "treinta y ocho.", language="es")
    assert father.dob == "1938-01-20"


def test_nothing_recognizable_is_other(classifier: Classifier) -> None:
    t = classifier.classify("Thanks so much to everyone, you were all wonderful.")
    assert t.intents == ("other",)
    assert t.urgency == "informational"


def test_spanish_is_detected(classifier: Classifier) -> None:
    t = classifier.classify("Hola, habla Carmen. Necesito una cita para mi esposo. Gracias.")
    assert t.language == "es"


def test_transcription_near_miss_still_flags(classifier: Classifier) -> None:
    t = classifier.classify("My mom is having trouble breathin and she is really confused.")
    assert t.urgency == "emergency"


def test_denied_red_flags_are_dismissed_and_hidden_from_the_model(classifier: Classifier) -> None:
    text = ("Hi, this is Walt Brennan, date of birth March third, nineteen fifty. I saw Doctor Ames last week for my "
            "checkup and she drew blood. I feel fine, no chest pain, no trouble breathing, nothing like that. I just "
            "wanted to hear how the cholesterol and kidney numbers came out. You can reach me at two one five, five "
            "five five, zero one two two. Thanks.")
    doc = classifier.nlp(text)
    assert {f.protocol for f in doc._.flags if f.urgency == "dismissed"} >= {"acute_coronary", "breathing_difficulty"}
    assert not any(f.urgency == "emergency" for f in doc._.flags)
    t = classifier.classify(text)
    assert t.urgency == "routine"


def test_drug_lexicon_maps_brand_to_generic(classifier: Classifier) -> None:
    t = classifier.classify("I'm on Eliquis and Zoloft, and my potassium was fine. Can I take ibuprofen?")
    assert t.medications == ("eliquis", "zoloft", "ibuprofen")
    assert t.medications_generic == ("apixaban", "sertraline", "ibuprofen")
    assert "medication_question" in t.intents


@pytest.mark.parametrize(("text", "window"), [
    ("Please call me back after five, I'm at work until then.", "after five"),
    ("You can reach me between two and four pm.", "between two and four pm"),
    ("Call me in the morning if you can.", "in the morning"),
    ("I need to reschedule Thursday's appointment.", None),
])
def test_callback_window(classifier: Classifier, text: str, window: str | None) -> None:
    assert classifier.classify(text).callback_window == window


def test_learned_model_names_the_intent_when_no_rule_fires(classifier: Classifier) -> None:
    t = classifier.classify("hi my claim got denied and i dont know why, can somebody explain it to me")
    assert "billing_insurance" in t.intents
    assert any(e.rule.startswith("learned:") for e in t.evidence)


def test_mentioning_an_appointment_is_not_asking_for_one(classifier: Classifier) -> None:
    t = classifier.classify("I got a new insurance card and want to update it before my appointment next month.")
    assert t.intents == ("billing_insurance",)
    assert t.role == "billing"


def test_a_language_we_cannot_read_is_reviewed_soon(classifier: Classifier) -> None:
    t = classifier.classify("Buongiorno, sono Marco, vorrei parlare con il dottore per mia madre.", language="it")
    assert t.needs_review and "unsupported_language" in t.review_reasons
    assert t.urgency in ("urgent", "emergency")


def test_the_role_heads_decide_only_where_labels_md_leaves_a_choice() -> None:
    """Routine calls with no clinical intent go to the nurse when the routine head says so, urgent calls to
    the clinician when the urgent head says so; an emergency is the clinician's and a clinical intent the
    nurse's whatever a head says. Thresholds at 0 and above 1 switch a head fully on and off."""
    clf = Classifier()
    move = "Hi, this is Dana Ortiz, I need to move my appointment on Thursday to next week, any afternoon works."
    fever = "This is Rob Hale, I had my gallbladder out Monday and tonight I have a fever of a hundred and two."
    emergency = "My husband can't breathe and his lips are turning blue."
    refill = "Could you renew my insulin prescription? I have about two weeks of pens left."
    assert clf.classify(move).urgency == "routine" and clf.classify(fever).urgency == "urgent"
    for on, roles in ((True, ("nurse", "clinician")), (False, ("front_desk", "nurse"))):
        clf.thresholds = {**clf.thresholds, "nurse_if_routine": 0.0 if on else 1.01,
                          "clinician_if_urgent": 0.0 if on else 1.01}
        assert (clf.classify(move).role, clf.classify(fever).role) == roles
        assert clf.classify(emergency).role == "clinician"
        assert clf.classify(refill).role == "nurse"


def test_a_protocol_newer_than_the_model_is_the_rules_alone(classifier: Classifier) -> None:
    # The model reads the flags it was trained on (meta.json), in their order: a protocol added since
    # leaves its input as it was, and the rules still set emergency.
    model = classifier.nlp.get_pipe("triage_model")
    text = "Stepped on a rusty nail a week ago and now I can barely open my mouth, my jaw is so stiff."
    flags = find_flags(text)
    assert model.encoder.features(text, flags).shape == model.heads.mean.shape
    newer = Flag("a_protocol_the_model_never_saw", "emergency", 0, 7)
    assert (model.encoder.concepts(text, [*flags, newer]) == model.encoder.concepts(text, flags)).all()
    assert classifier.classify(text).urgency == "emergency"


def test_the_model_reads_a_recognizers_digits_as_spoken_words(classifier: Classifier) -> None:
    # Whisper writes digits; the voicemails the model learned from say the numbers in words.
    model = classifier.nlp.get_pipe("triage_model")
    written = "Day 10 after chemo and my temperature is 100.6. Call 978-555-0335."
    said = ("Day ten after chemo and my temperature is one hundred point six. "
            "Call nine seven eight, five five five, zero three three five.")
    features = model.encoder.features
    assert (features(written, find_flags(written)) == features(said, find_flags(said))).all()
