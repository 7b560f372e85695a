"""Transcript text -> triage (LABELS.md keys + evidence + needs_review).

Two parts, each testable alone:
- **Safety rules** (`redflags.py`): red-flag protocols recognised as clinical concepts, English and
  Spanish, with negation, hypotheticals and resolved past events. A current red flag always means
  emergency; any current symptom means at least routine.
- **A learned model** (`semantic.py`, a spaCy component): static MiniLM sentence embeddings, words and
  the rules' concepts into linear heads for urgency and intents. It may raise urgency, never lower
  what the rules found: uncertainty moves urgency up. A clinical message it is unsure about gets
  `needs_review` with a reason.

Details (callback number, names, DOB, medications, relationship, callback window) are rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import cast

import spacy
from drug_named_entity_recognition import find_drugs
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.classify import lexicon
from pipeline.classify.redflags import DISMISSED, sets_urgent_floor
from pipeline.classify.semantic import (
    CLINICAL_INTENTS,
    URGENCIES,
    TriageModel,  # importing it registers the "triage_model" factory
)
from pipeline.classify.spoken import parse_date, parse_date_es, phone_numbers, tokens
from pipeline.classify.text import looks_spanish
from pipeline.domain import Evidence, Intent, Transcribed, Triage, Triaged, Urgency
from pipeline.topics import RoleName

# Up to three capitalized words, with a middle initial ("Devon T. Marsh") or family-name particles
# ("Cornelius van der Meer", "María de la Cruz") between them.
_LINK = r"(?: [A-Z]\.| (?:van|von|de|del|della|da|di|du|dos|das|bin|ibn|al|el|le|la)(?: (?:der|den|la|las|los))?)?"
_NAME = r"((?:Mister |Mr\.? |Mrs\.? |Ms\.? |Miss )?[A-Z][\w'’-]+(?:" + _LINK + r" [A-Z][\w'’-]+){0,2})"
# Cues are case-insensitive, names are not: transcripts capitalize names.
_GREETING = (r"(?i:(?:hi|hello|hey|oh|yes|yeah|good (?:morning|afternoon|evening)|buenos dias|buenas tardes|hola)"
             r"(?: there)?\s*[,.!:]+\s*)")
_FILLERS = r"(?:(?:\.\.\.|um,?|uh,?)\s*)*"
_CALLER_CUES = re.compile(
    r"(?i:\b(?:i'm|i am)\s+(?:his|her|their|the)\s+\w+(?: \w+)?,\s+)" + _NAME
    + r"|(?i:\b(?:this is|my name is|(?<!her )(?<!his )name's|i'm|i am|habla|me llamo|soy),?\s+"
    + _FILLERS + r"(?:dr\.? |doctor )?)" + _NAME
    + r"|(?i:\b(?:it's|it is),?\s+" + _FILLERS + r")" + _NAME  # "it's Dr. Lowry": the doctor, not the caller
    + r"|(?i:\bfrom\s+)" + _NAME
    + r"|^" + _GREETING + r"*" + _NAME + r"\s+(?:here|calling|speaking)\b",
)
# Failing those, a name said on its own near the start: "Hi, Gloria Benedetti, I had ...", "Hello. Maxine
# Delgado. I've ..."
_SAID_ALONE = _GREETING + r"*" + _NAME + r"(?=\s*(?:[,.!:]|\.\.\.))"
_OPENING_NAME = re.compile(r"^" + _SAID_ALONE)
# ... or one sentence later ("Dr." ends no sentence).
_STANDALONE_NAME = re.compile(r"^[^.?!]*(?<!\bDr)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bSt)[.?!]\s+" + _SAID_ALONE)
_RELATIVES = ("mother|mom|father|dad|son|daughter|husband|wife|child|baby|kid|grandmother|grandfather|grandson|"
              "granddaughter|grandma|grandpa|partner|brother|sister|aunt|uncle|niece|nephew|stepson|stepdaughter|"
              "boyfriend|girlfriend|fiance|fiancee|neighbor|neighbour|client|resident|"
              "esposo|esposa|hijo|hija|madre|padre|mama|mamá|papa|papá|abuela|abuelo|nieto|nieta|tia|tía|tio|tío|"
              "niño|niña|nino|nina|bebé|bebe|hermano|hermana|suegra|suegro")
_PATIENT_CUES = re.compile(
    r"(?i:\b(?:my|his|her|mi)\s+(?:" + _RELATIVES + r"),?\s+(?:is\s+|named\s+)?)" + _NAME
    + r"|(?i:\b(?:aide|caregiver|nurse)\s+for\s+)" + _NAME
    + r"|(?i:\bcalling\s+(?:about|for|regarding)\s+)" + _NAME
    + r"|(?i:\b(?:your|our|the|a|for|regarding|about)\s+(?:patient|resident|client|student)s?,?\s+"
    r"(?:named\s+|is\s+)?)" + _NAME
    + r"|(?i:\b(?:on behalf of|about|for|regarding|por|para)\s+)"
    + r"(?=(?:Mister |Mr\.? |Mrs\.? |Ms\.? |Miss )?[A-Z])" + _NAME
    + r"|(?i:\b(?:se llama|named|name is|his name is|her name is)\s+)" + _NAME,
)
# Relatives who usually share the caller's family name.
_FAMILY_CUE = re.compile(r"\b(?:son|daughter|husband|wife|child|baby|kid|grandson|granddaughter|stepson|stepdaughter"
                         r"|mother|mom|father|dad|brother|sister|grandmother|grandfather|grandma|grandpa"
                         r"|hijo|hija|esposo|esposa|niño|niña|bebé|bebe|nieto|nieta|madre|padre|mamá|mama|papá|papa"
                         r"|hermano|hermana|abuela|abuelo)\b")
# Speaking for family or as a carer: "calling about my mother", "I'm his mom", "home health aide".
_CAREGIVER = re.compile(
    r"\b(?:about|for|regarding|para)\s+(?:my|mi)\s+(?:" + _RELATIVES + r")\b"
    r"|\b(?:i'm|i am)\s+(?:his|her|their)\s+(?:" + _RELATIVES + r"|aide|caregiver|nurse)\b"
    r"|\bhome health aide\b|\bcaregiver\b|\baide for\b",
    re.IGNORECASE,
)
# Capitalized but not a person: organisations, places, days and months.
_NOT_PERSON = re.compile(
    r"\b(?:pharmacy|clinic|hospital|health|healthcare|insurance|medical|center|centre|lab|labs|laboratory|care|services?"
    r"|group|associates|office|department|school|university|college|street|avenue|road|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|january|february|march|april|june|july|august|september|october|november|december|doctor|dr)\b", re.IGNORECASE)
_NOT_NAMES = {"i", "doctor", "dr", "the", "a", "calling", "here", "your", "just", "so", "not", "really", "sorry",
              "returning", "having", "trying", "going", "still", "also", "okay", "ok", "yes", "no", "hi", "hello",
              "hey", "yeah", "good", "hola", "buenos", "buenas", "habla", "soy", "bueno", "oye", "well", "um", "uh",
              "i'm", "morning", "afternoon", "evening", "oh", "eh", "name"}
_INFANT = re.compile(
    r"\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[ -](?:day|days|week|weeks)[ -]old"
    r"|\b(?:one|two|1|2)[ -]months?[ -]old|\bnewborn\b", re.IGNORECASE)
_PREFERRED = re.compile(r"[\s,.]*(?:\w+\s+){0,3}(?:\w*'s\s+|is\s+)?(?:the\s+)?(?:better|best|preferred)", re.IGNORECASE)
# ... or just before it: "my cell's better, 302-555-0185"
_PREFERRED_BEFORE = re.compile(r"(?:better|best|preferred)(?: one| number)?(?: is)?[\s,:.]*(?:at\s+|is\s+)?$",
                               re.IGNORECASE)
# "Our fax is ...", "fax them to our office at ...": the number right after names a fax line.
_FAX_BEFORE = re.compile(r"\bfax(?: (?:number|line|machine|it|them|that|those|these))?(?: back)?"
                         r"(?:'s| is| at| to| es(?: el)?| al)?(?: (?:us|our office|the office|our clinic))?"
                         r"(?: at| is)?[\s,:]*$", re.IGNORECASE)
_CALL_TALK = re.compile(r"\b(?:call|reach|available|best time|anytime|any time)\b", re.IGNORECASE)
_HOUR = r"(?:\d{1,2}(?::\d{2})?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon)"
_WINDOW = re.compile(
    r"\b(?:after|before|around|until|by)\s+" + _HOUR + r"(?:\s*(?:o'clock|am|pm|a\.m\.|p\.m\.|thirty))?"
    r"|\bbetween\s+" + _HOUR + r"\s+and\s+" + _HOUR + r"(?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
    r"|\b(?:in the\s+)?(?:mornings?|afternoons?|evenings?)\b|\b(?:any ?time)\b|\blunch ?time\b",
    re.IGNORECASE)
# Asking to book, move, cancel or confirm a visit, or running late (LABELS.md's appointment intent).
_APPOINTMENT_ASK = re.compile(
    r"\b(?:schedul\w*|reschedul\w*|cancel\w*|book\w*|make an?|set up an?|move|change|confirm\w*|push back|running late|"
    r"be late|come in|get in|be seen|see (?:the )?(?:doctor|dr|nurse|someone)|an appointment|next available|opening|"
    r"cita|citas|cancelar|cambiar|reprogramar|llegar tarde|consulta)\b", re.IGNORECASE)


@dataclass
class _Found:
    evidence: list[Evidence] = field(default_factory=list)

    def add(self, fld: str, value: str, start: int, end: int, rule: str) -> None:
        self.evidence.append(Evidence(fld, value, start, end, rule))


class Classifier:
    """Loads the spaCy pipeline once; `classify` is then a pure function of the text."""

    def __init__(self) -> None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("triage_model")
        self.nlp = nlp
        model = nlp.get_pipe("triage_model")
        if not isinstance(model, TriageModel):
            raise TypeError(f"triage_model is a {type(model).__name__}, not the TriageModel")
        self.model = model
        self.thresholds = self.model.meta["thresholds"]
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher.add("THIRD", [nlp.make_doc(p) for p in lexicon.THIRD_PARTY])
        self.model_id = f"redflags-1+{self.model.meta['version']}"

    def classify(self, text: str, language: str | None = None) -> Triage:
        """Triage one transcript: the LABELS.md fields, evidence for each, and needs_review with reasons."""
        doc = self.nlp(text)
        found = _Found()
        meds, generics = _medications(doc, found)
        urgency, reasons = self._urgency(doc, found)
        if language and language not in SUPPORTED_LANGUAGES:
            # Words we cannot read (or a misdetected language): a person listens, soon.
            urgency = cast(Urgency, min(urgency, "urgent", key=URGENCIES.index))
            reasons.append("unsupported_language")
        intents = self._intents(doc, urgency, found)
        relationship = _relationship(doc, self.matcher, found)
        caller = (_first_name(text, _CALLER_CUES, found, "caller_name")
                  or _first_name(text, _OPENING_NAME, found, "caller_name")
                  or _first_name(text, _STANDALONE_NAME, found, "caller_name"))
        patient = caller if relationship == "self" else _first_name(text, _PATIENT_CUES, found, "patient_name")
        if patient and caller and relationship == "caregiver" and " " not in patient and " " in caller \
                and _FAMILY_CUE.search(found.evidence[-1].rule):
            # "This is Brianna Lewis, my son Carter ...": the family name is the caller's.
            patient = f"{patient} {caller.rsplit(' ', 1)[1]}"
            found.evidence[-1] = replace(found.evidence[-1], value=patient)
        return Triage(
            urgency=urgency,
            intents=tuple(intents),
            role=self._role(doc, urgency, intents),
            callback_number=_callback_number(text, found),
            patient_name=patient,
            caller_name=caller,
            dob=_dob(text, found),
            medications=tuple(meds),
            medications_generic=tuple(generics),
            caller_relationship=relationship,
            language=language or _language(doc),
            callback_window=_callback_window(doc, found),
            needs_review=bool(reasons),
            review_reasons=tuple(reasons),
            evidence=tuple(found.evidence),
        )

    def _role(self, doc: Doc, urgency: Urgency, intents: list[Intent]) -> RoleName:
        """LABELS.md's role for the urgency; where it leaves a choice, the model's role head decides."""
        p = doc._.role_probs
        if urgency == "emergency":
            return "clinician"
        if urgency == "urgent":
            # The nurse, unless a prescriber's decision is clearly needed now.
            return "clinician" if p["clinician_if_urgent"] >= self.thresholds["clinician_if_urgent"] else "nurse"
        if urgency == "routine":
            # Anything clinical goes to a nurse, and so does a call the head learnt needs one although no
            # clinical intent was found; scheduling and referral paperwork to the front desk.
            clinical = bool(set(intents) & CLINICAL_INTENTS)
            return "nurse" if clinical or p["nurse_if_routine"] >= self.thresholds["nurse_if_routine"] else "front_desk"
        return "billing" if intents[0] == "billing_insurance" else "front_desk"

    def _urgency(self, doc: Doc, found: _Found) -> tuple[Urgency, list[str]]:
        """The higher of what the rules found and what the model says; never lower than the rules."""
        p = doc._.urgency_probs
        rules = "informational"
        for flag in doc._.flags:
            if flag.urgency == DISMISSED:
                continue
            if flag.urgency == "emergency" or (
                    flag.urgency == "urgent" and sets_urgent_floor(flag.protocol, doc.text[flag.start:flag.end])):
                level = flag.urgency
                found.add("urgency", level, flag.start, flag.end,
                          ("red_flag:" if level == "emergency" else "") + flag.protocol)
            else:
                level = "routine"  # a current symptom or sign: never informational
            rules = min(rules, level, key=URGENCIES.index)
        if p["emergency"] >= self.thresholds["emergency"]:
            learned = "emergency"
        else:
            learned = max(URGENCIES[1:], key=p.__getitem__)
        urgency = cast(Urgency, min(rules, learned, key=URGENCIES.index))
        if URGENCIES.index(learned) < URGENCIES.index(rules):
            found.add("urgency", learned, 0, 0, f"learned:p={p[learned]:.2f}")
        reasons = []
        clinical = rules != "informational" or p["informational"] < 0.5
        if urgency != "emergency" and p["emergency"] >= self.thresholds["review"]:
            reasons.append("possible_emergency")
        elif clinical and urgency != "emergency" and max(p.values()) < 0.5:
            reasons.append("uncertain_urgency")
        return urgency, reasons

    def _intents(self, doc: Doc, urgency: str, found: _Found) -> list[Intent]:
        p = doc._.intent_probs
        ranked = sorted(p, key=lambda k: -p[k])
        intents = [ranked[0]] + [k for k in ranked[1:] if p[k] >= self.thresholds["intent"]]
        if urgency == "emergency" or (urgency == "urgent" and "symptom_report" in intents):
            # The clinical problem is what the callback is about: it leads.
            intents = ["symptom_report"] + [k for k in intents if k != "symptom_report"]
        if len(intents) > 1 and "other" in intents:
            intents.remove("other")
        if "appointment" in intents[1:] and not _APPOINTMENT_ASK.search(doc.text):
            intents.remove("appointment")  # "before my appointment next month" mentions one, asks for nothing
        for name in intents:
            found.add("intents", name, 0, 0, f"learned:p={p[name]:.2f}")
        return intents


SUPPORTED_LANGUAGES = frozenset({"en", "es"})


def _relationship(doc: Doc, matcher: PhraseMatcher, found: _Found) -> str:
    """Who is calling: the model decides (it reads "my daughter", "your patient", "from the pharmacy" in
    their context); the words behind it are the evidence when a cue names them."""
    probs = doc._.relationship_probs
    value = max(probs, key=probs.get)
    third = next((doc[s:e] for _, s, e in matcher(doc)), None) if value == "third_party" else None
    carer = _CAREGIVER.search(doc.text) if value == "caregiver" else None
    if third is not None:
        found.add("caller_relationship", value, third.start_char, third.end_char, "phrase:" + third.text.lower())
    elif carer is not None:
        found.add("caller_relationship", value, carer.start(), carer.end(), "cue:" + carer.group(0).lower())
    else:
        found.add("caller_relationship", value, 0, len(doc.text), f"model:p={probs[value]:.2f}")
    return value


def _first_name(text: str, cues: re.Pattern[str], found: _Found, fld: str) -> str | None:
    for m in cues.finditer(text):
        group = next(i for i in range(1, len(m.groups()) + 1) if m.group(i))
        name, start = m.group(group), m.start(group)
        for title in ("Mister ", "Mr. ", "Mr ", "Mrs. ", "Mrs ", "Ms. ", "Ms ", "Miss "):
            if name.startswith(title):
                name, start = name[len(title):], start + len(title)
        words = [w.removesuffix("'s").removesuffix("’s") for w in name.split()]
        while words and words[-1].lower() in _NOT_NAMES:
            words.pop()
        if not words or words[0].lower() in _NOT_NAMES or not words[0][0].isupper() or _NOT_PERSON.search(name):
            continue
        value = " ".join(words)
        cue = m.group(0)[: m.start(group) - m.start()].strip().lower()
        found.add(fld, value, start, start + len(value), "cue:" + cue)
        return value
    return None


def _callback_number(text: str, found: _Found) -> str | None:
    # A fax line is not a number to call back.
    numbers = [n for n in phone_numbers(text) if not _FAX_BEFORE.search(text, max(0, n[1] - 30), n[1])]
    if not numbers:
        return None
    chosen, rule = numbers[0], "first_number"
    for number in numbers[1:]:
        if _PREFERRED.match(text, number[2]) or _PREFERRED_BEFORE.search(text, 0, number[1]):
            chosen, rule = number, "caller_preference"
    found.add("callback_number", chosen[0], chosen[1], chosen[2], rule)
    return chosen[0]


_DOB_CUE = re.compile(r"\b(?:date of birth|birth ?date|birthday|born on|born|d\.?o\.?b\.?"
                      r"|fecha de nacimiento|nacid[oa]|naci[oó]|cumpleaños)\b[\s:,]*(?:is\s+|es\s+)?", re.IGNORECASE)


def _dob(text: str, found: _Found) -> str | None:
    for cue in _DOB_CUE.finditer(text):
        toks = tokens(text[cue.end(): cue.end() + 80])
        said = [t for t, _, _ in toks]
        when = parse_date(said) or parse_date_es(said)
        if when is not None:
            found.add("dob", when.isoformat(), cue.start(), cue.end() + (toks[-1][2] if toks else 0), "cue:dob")
            return when.isoformat()
    return None


def _medications(doc: Doc, found: _Found) -> tuple[list[str], list[str]]:
    """Drug names as said (lowercase) and their generic names, from a lexicon of thousands of drugs
    with brand -> generic links (drug-named-entity-recognition)."""
    said: list[str] = []
    generic: list[str] = []
    for drug, start, end in find_drugs([t.text for t in doc], is_ignore_case=True):
        span = doc[start:end]
        name = span.text.lower()
        if name in lexicon.NOT_DRUGS or name in said:
            continue
        said.append(name)
        generic.append(drug["name"].lower())
        found.add("medications", name, span.start_char, span.end_char, "drug_lexicon:" + drug["name"].lower())
    return said, generic


def _callback_window(doc: Doc, found: _Found) -> str | None:
    """When the caller wants the call ("after five", "mornings", "between two and four"), if said in a
    sentence about calling back."""
    if not (_WINDOW.search(doc.text) and _CALL_TALK.search(doc.text)):
        return None  # most messages: spare splitting them into sentences
    for sent in doc.sents:
        if not _CALL_TALK.search(sent.text):
            continue
        m = _WINDOW.search(sent.text)
        if m:
            value = m.group(0).lower()
            start = sent.start_char + m.start()
            found.add("callback_window", value, start, start + len(value), "cue:time_phrase")
            return value
    return None


def _language(doc: Doc) -> str:
    return "es" if looks_spanish([t.lower_ for t in doc if t.is_alpha]) else "en"


def triaged_event(transcribed: Transcribed, triage: Triage, now: datetime) -> Triaged:
    """The voicemail.triaged event for a transcribed voicemail and its triage."""
    return Triaged(transcribed.voicemail_id, transcribed.voicemail, transcribed.transcript, triage, now)
