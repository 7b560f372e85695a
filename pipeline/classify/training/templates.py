"""Written voicemail fragments per intent, for the learned intent classifier. Our own wording,
not taken from any evaluation set. Slots: {name} {drug} {day} {number} {relative} {symptom}."""

NAMES = ["John Carter", "Linda Park", "Miguel Santos", "Grace Hall", "Omar Haddad", "Betty Nolan", "Chris Young",
         "Priya Shah", "Tom Becker", "Alice Wong", "Derek Mills", "Rosa Delgado", "Frank Ellis", "Hannah Stone"]
DRUGS = ["lisinopril", "metformin", "atorvastatin", "amlodipine", "levothyroxine", "omeprazole", "sertraline",
         "losartan", "gabapentin", "albuterol", "prednisone", "warfarin", "Eliquis", "Synthroid", "Lipitor",
         "my blood pressure pills", "my inhaler", "my thyroid medicine", "my cholesterol medication"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "next week", "tomorrow", "the fifteenth"]
RELATIVES = ["my mother", "my father", "my husband", "my wife", "my son", "my daughter"]
SYMPTOMS = ["a bad cough", "a sore throat", "a rash on my arm", "some back pain", "headaches", "an earache",
            "a fever", "stomach pain", "dizziness", "swelling in my ankles", "trouble sleeping", "a sinus infection"]
NUMBERS = ["two one five, five five five, zero one four two", "610-555-0187", "four eight four, five five five, "
           "zero one one nine", "(267) 555-0163", "three oh two, five five five, zero one nine zero"]

FRAGMENTS = {
    "symptom_report": [
        "I've had {symptom} for about a week and it's not getting better.",
        "{relative} has had {symptom} since the weekend and we're getting worried.",
        "I wanted to let the doctor know I've been having {symptom} again.",
        "since my procedure I've had {symptom} and some pain where they did it.",
        "I'm not feeling well, I have {symptom} and I'm really tired.",
        "my knee has been swollen and it hurts to walk on it.",
        "I keep getting these headaches in the afternoon, they started {day}.",
    ],
    "medication_refill": [
        "I need a refill on {drug}, I'm almost out.",
        "could you send a new prescription for {drug} to my pharmacy?",
        "my pharmacy said they need authorization from the doctor to refill {drug}.",
        "I'm running low on {drug} and I have two refills left I think.",
        "I'd like to transfer my {drug} prescription to the CVS on Oak Street.",
        "can you call in more of {drug} for me please.",
    ],
    "medication_question": [
        "I have a question about {drug}, can I take it with ibuprofen?",
        "should I keep taking {drug} before my surgery?",
        "I think {drug} is giving me side effects, I feel nauseous after I take it.",
        "what dose of {drug} am I supposed to be on now, the bottle says something different.",
        "is it okay to take {drug} at night instead of the morning?",
    ],
    "test_results": [
        "I'm calling to get my lab results from {day}.",
        "I had an MRI done and wanted to know if the results are in.",
        "can someone go over my blood work with me?",
        "I'm waiting on the biopsy results and haven't heard anything.",
        "did my mammogram results come back yet?",
    ],
    "appointment": [
        "I need to reschedule my appointment on {day}.",
        "I'd like to book a physical sometime {day}.",
        "I have to cancel my visit on {day}, something came up.",
        "I'm running about fifteen minutes late for my appointment.",
        "can I get in to see the doctor {day}?",
        "I'm calling to confirm my appointment for {day}.",
    ],
    "billing_insurance": [
        "I got a bill in the mail that I don't understand.",
        "my insurance changed and I need to give you the new card.",
        "I was charged a copay twice for the same visit.",
        "I want to set up a payment plan for my balance.",
        "my claim was denied and I need to know why.",
        "does my plan cover the procedure the doctor recommended?",
    ],
    "records_forms": [
        "I need a copy of my medical records sent to my new doctor.",
        "I have an FMLA form that needs to be filled out.",
        "can you write a note for my work saying I was seen {day}?",
        "I can't log into the patient portal, it says my password is wrong.",
        "{relative} needs a school physical form signed.",
        "I need my vaccination records for a new job.",
    ],
    "referral": [
        "I'm calling about the referral to the cardiologist.",
        "the doctor said she would refer me to a specialist and I haven't heard back.",
        "I need a referral for physical therapy so my insurance will pay.",
        "can you check on the status of my referral to dermatology?",
    ],
    "returning_call": [
        "I'm returning a call from your office.",
        "someone from the office called me {day} and left a message to call back.",
        "I missed a call from this number, just calling back.",
    ],
    "other": [
        "I just wanted to say thank you to the nurses, you were wonderful.",
        "sorry, I think I dialed the wrong number.",
        "this is a sales call about your office's copier lease.",
        "I'm calling from the lab to confirm your fax number.",
    ],
}
OPENERS = ["Hi, this is {name}.", "Hello, my name is {name}.", "Hey, it's {name}.", "Good morning, this is {name}.",
           "Hi, I'm calling about {relative}.", "Yes hello,", ""]
CLOSERS = ["Please call me back at {number}.", "My number is {number}.", "Thanks, {number}.", "Thank you, bye.",
           "You can reach me at {number}, thanks.", ""]
