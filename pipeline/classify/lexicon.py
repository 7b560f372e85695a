"""Word lists for triage details. Red flags live in `redflags.py`.

`INTENTS`: phrases that point at an intent, English and Spanish (accent-folded); the learned model
reads which ones occur as features, it does not obey them.
"""

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
                          "claim", "insurance card"],
    "records_forms": ["records", "record", "form", "forms", "fmla", "paperwork", "letter", "work note",
                      "school note", "portal", "password", "log in", "logging into", "login", "copy of my"],
    "referral": ["referral", "refer me", "referred", "specialist"],
    "returning_call": ["returning a call", "returning your call", "returning the call", "return your call",
                       "you called me", "missed a call", "missed your call", "left me a message"],
}
INTENTS_ES = {
    "medication_refill": ["receta", "resurtir", "rellenar", "se me acabo", "se me acabaron", "surtir", "farmacia"],
    "medication_question": ["puedo tomar", "debo tomar", "dosis", "efecto secundario", "efectos secundarios",
                            "seguir tomando", "dejar de tomar"],
    "test_results": ["resultados", "resultado", "analisis", "laboratorio", "examenes", "radiografia", "mamografia"],
    "appointment": ["cita", "citas", "cambiar la cita", "cancelar", "reprogramar", "hacer una cita", "llegar tarde"],
    "billing_insurance": ["factura", "cobro", "cobraron", "seguro", "aseguranza", "pago", "cuenta", "deducible",
                          "copago"],
    "records_forms": ["expediente", "formulario", "forma", "formas", "carta", "portal", "contrasena", "registros",
                      "cartilla"],
    "referral": ["referido", "referencia", "especialista", "me refieran", "pase"],
    "returning_call": ["devolviendo la llamada", "me llamaron", "regresando la llamada", "devolver la llamada"],
}

# A caller speaking for someone else who is not family or a carer: pharmacy, clinic, vendor.
THIRD_PARTY = ["pharmacy calling", "calling from the pharmacy", "calling from", "this is the pharmacy",
               "from the office of", "clinic calling", "on behalf of"]
# Words the drug lexicon knows that callers use in other senses.
NOT_DRUGS = {"potassium", "sodium", "calcium", "iron", "oxygen", "water", "alcohol", "caffeine", "magnesium"}
