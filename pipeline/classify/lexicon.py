"""Clinical phrase lexicons for the first triage pipeline. Phrases are matched on lowercase tokens.

Red flags follow LABELS.md's emergency list, including lay descriptions without textbook words.
"""

EMERGENCY = {
    "chest_pain": ["chest pain", "chest pains", "pain in my chest", "pressure in my chest", "chest pressure",
                   "chest tightness", "tightness in my chest", "elephant on my chest", "crushing chest",
                   "heart attack", "pain going down my left arm", "goes down my left arm"],
    "breathing": ["trouble breathing", "can't breathe", "cannot breathe", "can not breathe", "hard to breathe",
                  "short of breath", "shortness of breath", "difficulty breathing", "struggling to breathe",
                  "gasping", "turning blue", "lips are blue"],
    "stroke": ["slurred", "slurring", "face drooping", "face is drooping", "droopy", "drooping",
               "words coming out funny", "can't lift my arm", "weakness on one side", "numb on one side",
               "one side of his face", "one side of her face", "one side of my face", "stroke"],
    "bleeding": ["severe bleeding", "won't stop bleeding", "will not stop bleeding", "bleeding heavily",
                 "soaking through", "coughing up blood", "vomiting blood", "throwing up blood"],
    "suicide": ["suicidal", "kill myself", "killing myself", "end my life", "ending my life", "take my own life",
                "don't want to live", "want to die", "better off dead", "hurt myself"],
    "overdose": ["overdose", "overdosed", "took too many", "swallowed a bottle", "took the whole bottle",
                 "poisoning", "poisoned", "drank bleach"],
    "anaphylaxis": ["throat is closing", "throat closing", "throat feels like it's closing", "closing up",
                    "throat is swelling", "throat swelling", "tongue is swelling", "anaphylaxis",
                    "anaphylactic", "lips are swelling"],
    "unresponsive": ["passed out", "fainted", "unresponsive", "won't wake up", "not waking up", "unconscious",
                     "collapsed"],
    "seizure": ["seizure", "seizing", "convulsing", "convulsions"],
}

URGENT = {
    "fever": ["fever", "temperature of", "feels really hot", "burning up", "a hundred and one", "a hundred and two",
              "a hundred and three", "hundred point"],
    "post_op": ["incision", "stitches", "wound", "after surgery", "after my surgery", "post op", "drainage",
                "yellow stuff", "pus", "red and warm", "infected", "infection"],
    "side_effect": ["side effect", "side effects", "reaction to", "allergic reaction", "rash", "hives", "swelling",
                    "swollen"],
    "gi": ["vomiting", "throwing up", "can't keep", "diarrhea", "dehydrated", "dehydration"],
    "pain": ["severe pain", "really bad pain", "worst pain", "excruciating", "stomach cramps", "cramping",
             "really bad headache", "migraine"],
    "pregnancy": ["pregnant", "contractions", "baby isn't moving", "water broke"],
    "dizzy": ["dizzy", "lightheaded", "light headed"],
    "bleeding": ["bleeding", "blood in"],
    "medication_out": ["ran out of", "run out of", "out of my", "out of his", "out of her", "no more of my"],
    "abnormal_result": ["call back today", "should call back", "was high", "was low", "abnormal"],
}
# Running out of these today is urgent (LABELS.md): a missed dose is dangerous.
CRITICAL_MEDS = ["insulin", "seizure medication", "seizure meds", "keppra", "levetiracetam", "blood thinner",
                 "warfarin", "coumadin", "eliquis", "apixaban", "xarelto", "rivaroxaban", "inhaler", "epipen",
                 "prednisone", "tacrolimus"]

SYMPTOMS = ["pain", "hurts", "hurting", "ache", "aches", "cough", "coughing", "tos", "fever", "fiebre", "nausea",
            "nauseous", "headache", "dizzy", "rash", "swelling", "bleeding", "vomiting", "diarrhea", "cramps",
            "sore throat", "congestion", "hot", "temperature", "not eating", "hopeless", "depressed", "anxious"]

INTENTS = {
    "medication_refill": ["refill", "refilled", "refills", "renewal", "renew", "new prescription", "prescription",
                          "running low", "ran out", "run out", "transfer my prescription"],
    "medication_question": ["should i keep taking", "should i take", "can i take", "is it okay to take", "dose",
                            "dosage", "side effect", "side effects", "interact", "interaction", "keep taking",
                            "stop taking"],
    "test_results": ["results", "result", "blood work", "bloodwork", "lab work", "labs", "biopsy", "x-ray", "x ray",
                     "mri", "ct scan", "cat scan", "mammogram", "ultrasound", "potassium", "cholesterol"],
    # Asking for, moving or cancelling a visit; merely mentioning one ("before my appointment next
    # month") is not the intent.
    "appointment": ["an appointment", "appointment for", "appointment on", "appointment at", "appointment with",
                    "reschedule", "cancel", "schedule", "book", "running late", "come in", "get in to see",
                    "check-up", "checkup", "a physical", "follow up", "cita", "visit with", "see the doctor"],
    "billing_insurance": ["bill", "billing", "billed", "statement", "copay", "co-pay", "charge", "charged",
                          "insurance", "payment", "balance", "invoice", "coverage", "covered", "owe", "deductible",
                          "insurance card"],
    "records_forms": ["records", "record", "form", "forms", "fmla", "paperwork", "letter", "work note",
                      "school note", "portal", "password", "log in", "logging into", "login", "copy of my"],
    "referral": ["referral", "refer me", "referred", "specialist"],
    "returning_call": ["returning a call", "returning your call", "returning the call", "return your call",
                       "you called me", "missed a call", "missed your call", "left me a message"],
}

# A caller speaking for someone else who is not family or a carer: pharmacy, clinic, vendor.
THIRD_PARTY = ["pharmacy calling", "calling from the pharmacy", "calling from", "this is the pharmacy",
               "from the office of", "clinic calling", "on behalf of"]
HISTORY = ["last week", "last month", "last year", "last saturday", "last sunday", "last monday", "last tuesday",
           "last wednesday", "last thursday", "last friday", "years ago", "was in the emergency room",
           "was in the er", "checked out fine", "fine now", "better now"]

# Words the drug lexicon knows that callers use in other senses.
NOT_DRUGS = {"potassium", "sodium", "calcium", "iron", "oxygen", "water", "alcohol", "caffeine", "magnesium"}
