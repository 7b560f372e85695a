"""Transcript text -> triage (LABELS.md keys + evidence).

The spaCy pipeline is small and fast on purpose (a worker triages hundreds of transcripts a second):
tokenizer, sentencizer, a norm fixer that maps near-misses of clinical words ("brething") to the
lexicon, an entity ruler for red flags and symptoms, and negspacy's NegEx for negation. Drug names
come from drug-named-entity-recognition's lexicon. The decisions are rules a triage nurse can read.

Safety rule: a red flag that is not negated (and not history) always wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import spacy
from drug_named_entity_recognition import find_drugs
from negspacy.negation import Negex  # noqa: F401 - registers the "negex" factory
from negspacy.termsets import termset
from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline import events
from pipeline.classify import lexicon
from pipeline.classify.spoken import parse_date, phone_numbers, tokens

INTENT_MODEL = Path(__file__).with_name("intent_model")
LEARNED_EXTRA = 0.9  # add an intent the rules missed only when the model is this sure
LEARNED_ALONE = 0.5  # when no rule fired
CLINICAL_INTENTS = ("symptom_report", "medication_refill", "medication_question", "test_results", "referral")
_NAME = r"((?:Mister |Mr\.? |Mrs\.? |Ms\.? )?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})"
# Cues are case-insensitive, names are not: transcripts capitalize names.
_CALLER_CUES = re.compile(
    r"(?i:\b(?:i'm|i am)\s+(?:his|her|their|the)\s+\w+(?: \w+)?,\s+)" + _NAME
    + r"|(?i:\b(?:this is|my name is|it's|it is|i'm|i am|habla|me llamo|soy)\s+)" + _NAME
    + r"|(?i:\bfrom\s+)" + _NAME
    + r"|^(?i:(?:hi|hello|hey)?,?\s*)" + _NAME + r"\s+here\b",
)
_RELATIVES = ("mother|mom|father|dad|son|daughter|husband|wife|child|baby|kid|grandmother|grandfather|grandson|"
              "granddaughter|partner|brother|sister|esposo|esposa|hijo|hija|madre|padre")
_PATIENT_CUES = re.compile(
    r"(?i:\b(?:my|his|her|mi)\s+(?:" + _RELATIVES + r"),?\s+(?:is\s+|named\s+)?)" + _NAME
    + r"|(?i:\b(?:aide|caregiver|nurse)\s+for\s+)" + _NAME
    + r"|(?i:\bcalling\s+(?:about|for|regarding)\s+)" + _NAME,
)
# Speaking for family or as a carer: "calling about my mother", "I'm his mom", "home health aide".
_CAREGIVER = re.compile(
    r"\b(?:about|for|regarding|para)\s+(?:my|mi)\s+(?:" + _RELATIVES + r")\b"
    r"|\b(?:i'm|i am)\s+(?:his|her|their)\s+(?:" + _RELATIVES + r"|aide|caregiver|nurse)\b"
    r"|\bhome health aide\b|\bcaregiver\b|\baide for\b",
    re.IGNORECASE,
)
_NOT_NAMES = {"i", "doctor", "dr", "the", "a", "calling", "here", "your", "just", "so", "not", "really", "sorry",
              "returning", "having", "trying", "going", "still", "also", "okay", "ok", "yes", "no", "hi", "hello"}
_INFANT = re.compile(
    r"\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[ -](?:day|days|week|weeks)[ -]old"
    r"|\b(?:one|two|1|2)[ -]months?[ -]old|\bnewborn\b", re.IGNORECASE)
_PREFERRED = re.compile(r"[\s,.]*(?:\w+\s+){0,3}(?:is|'s)?\s*(?:better|best|preferred)", re.IGNORECASE)
_CALL_TALK = re.compile(r"\b(?:call|reach|available|best time|anytime|any time)\b", re.IGNORECASE)
_HOUR = r"(?:\d{1,2}(?::\d{2})?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon)"
_WINDOW = re.compile(
    r"\b(?:after|before|around|until|by)\s+" + _HOUR + r"(?:\s*(?:o'clock|am|pm|a\.m\.|p\.m\.|thirty))?"
    r"|\bbetween\s+" + _HOUR + r"\s+and\s+" + _HOUR + r"(?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
    r"|\b(?:in the\s+)?(?:mornings?|afternoons?|evenings?)\b|\b(?:any ?time)\b|\blunch ?time\b",
    re.IGNORECASE)
_SPANISH = {"hola", "llamo", "gracias", "mi", "por", "que", "es", "una", "tiene", "número", "numero", "desde",
            "para", "llamar", "necesito", "cita"}


@dataclass
class _Found:
    evidence: list[dict] = field(default_factory=list)

    def add(self, fld: str, value: str, start: int, end: int, rule: str) -> None:
        self.evidence.append({"field": fld, "value": value, "start": start, "end": end, "rule": rule})


class Classifier:
    """Loads the spaCy pipeline once; `classify` is then a pure function of the text."""

    def __init__(self) -> None:
        clinical = {
            **{f"EMERGENCY:{k}": v for k, v in lexicon.EMERGENCY.items()},
            **{f"URGENT:{k}": v for k, v in lexicon.URGENT.items()},
            "SYMPTOM": lexicon.SYMPTOMS,
        }
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("clinical_norms", config={"vocabulary": sorted(_anchor_words(clinical.values()))})
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "NORM"})
        ruler.add_patterns([{"label": label, "pattern": p} for label, phrases in clinical.items() for p in phrases])
        nlp.add_pipe("negex", config={"neg_termset": termset("en_clinical").get_patterns(),
                                      "ent_types": sorted(clinical)})
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")  # NORM carries the clinical fixes only
        groups = {
            **{f"INTENT:{k}": v for k, v in lexicon.INTENTS.items()},
            "CRITMED": lexicon.CRITICAL_MEDS, "THIRD": lexicon.THIRD_PARTY, "HISTORY": lexicon.HISTORY,
        }
        for label, phrases in groups.items():
            self.matcher.add(label, [nlp.make_doc(p) for p in phrases])
        # The learned part: a bag-of-words intent classifier trained on our own corpus
        # (`python -m pipeline train-intents`). Rules lead; it adds intents it is sure of and
        # names the intent when no rule fires.
        self.intent_model = spacy.load(INTENT_MODEL)
        self.model_id = f"rules-v2+intents-{self.intent_model.meta['version']}"

    def classify(self, text: str, language: str | None = None) -> dict:
        doc = self.nlp(text)
        found = _Found()
        matches = [(self.nlp.vocab.strings[m], Span(doc, s, e)) for m, s, e in self.matcher(doc)]
        matches += [(ent.label_, ent) for ent in doc.ents]
        current = [(label, span) for label, span in matches
                   if not (_is_symptom(label) and (span._.negex or _history(span, matches)))]
        meds, generics = _medications(doc, found)

        urgency = self._urgency(doc, current, found)
        intents = self._intents(current, urgency, found, self.intent_model(text).cats)
        relationship = _relationship(text, current, found)
        caller = _first_name(doc, _CALLER_CUES, found, "caller_name")
        patient = caller if relationship == "self" else _first_name(doc, _PATIENT_CUES, found, "patient_name")
        return {
            "urgency": urgency,
            "intents": intents,
            "role": _role(urgency, intents),
            "callback_number": _callback_number(text, found),
            "patient_name": patient,
            "caller_name": caller,
            "dob": _dob(text, found),
            "medications": meds,
            "medications_generic": generics,
            "caller_relationship": relationship,
            "language": language or _language(doc),
            "callback_window": _callback_window(doc, found),
            "evidence": found.evidence,
        }

    def _urgency(self, doc: Doc, current: list[tuple[str, Span]], found: _Found) -> str:
        flags = [(label, span) for label, span in current if label.startswith("EMERGENCY:")]
        infant = _INFANT.search(doc.text)
        fever = [span for label, span in current if label == "URGENT:fever"]
        if infant and fever:
            found.add("urgency", "emergency", infant.start(), infant.end(), "red_flag:infant_fever")
        for label, span in flags:
            found.add("urgency", "emergency", span.start_char, span.end_char, "red_flag:" + label.split(":")[1])
        if flags or (infant and fever):
            return "emergency"
        urgent = [(label, span) for label, span in current
                  if label.startswith("URGENT:") and label != "URGENT:medication_out"]
        critical = [span for label, span in current if label == "CRITMED"]
        if critical and any(label == "URGENT:medication_out" for label, _ in current):
            urgent += [("URGENT:critical_medication_out", critical[0])]
        for label, span in urgent:
            found.add("urgency", "urgent", span.start_char, span.end_char, "urgent:" + label.split(":")[1])
        if urgent:
            return "urgent"
        intents = {label.split(":")[1] for label, _ in current if label.startswith("INTENT:")}
        if intents & {*CLINICAL_INTENTS, "appointment"} or any(label == "SYMPTOM" for label, _ in current):
            return "routine"
        return "informational"

    def _intents(self, current: list[tuple[str, Span]], urgency: str, found: _Found,
                 learned: dict[str, float]) -> list[str]:
        first_seen: dict[str, int] = {}
        for label, span in sorted(current, key=lambda m: m[1].start_char):
            if label.startswith("INTENT:"):
                name = label.split(":")[1]
            elif _is_symptom(label):
                name = "symptom_report"
            else:
                continue
            if name not in first_seen:
                first_seen[name] = span.start_char
                found.add("intents", name, span.start_char, span.end_char, "phrase:" + span.text.lower())
        intents = sorted(first_seen, key=first_seen.__getitem__)
        threshold = LEARNED_ALONE if not intents else LEARNED_EXTRA
        for name, p in sorted(learned.items(), key=lambda kv: -kv[1]):
            if p >= threshold and name not in intents and name != "other":
                intents.append(name)
                found.add("intents", name, 0, 0, f"learned:p={p:.2f}")
        if urgency in ("emergency", "urgent") and "symptom_report" in intents:
            # The clinical problem is what the callback is about: it leads.
            intents.remove("symptom_report")
            intents.insert(0, "symptom_report")
        return intents or ["other"]



def _relationship(text: str, current: list[tuple[str, Span]], found: _Found) -> str:
    third = next((s for label, s in current if label == "THIRD"), None)
    if third is not None:
        found.add("caller_relationship", "third_party", third.start_char, third.end_char, "phrase:" + third.text.lower())
        return "third_party"
    carer = _CAREGIVER.search(text)
    if carer is not None:
        found.add("caller_relationship", "caregiver", carer.start(), carer.end(), "cue:" + carer.group(0).lower())
        return "caregiver"
    return "self"


def _is_symptom(label: str) -> bool:
    return label == "SYMPTOM" or label.startswith("EMERGENCY:") or (
        label.startswith("URGENT:") and label not in ("URGENT:medication_out", "URGENT:abnormal_result"))


def _history(span: Span, matches: list[tuple[str, Span]]) -> bool:
    """The phrase sits in a sentence that talks about the past ("was in the ER last week, fine now")."""
    sent = span.sent
    return any(label == "HISTORY" and s.sent == sent for label, s in matches)


def _first_name(doc: Doc, cues: re.Pattern[str], found: _Found, fld: str) -> str | None:
    for m in cues.finditer(doc.text):
        group = next(i for i in range(1, len(m.groups()) + 1) if m.group(i))
        name, start = m.group(group), m.start(group)
        for title in ("Mister ", "Mr. ", "Mr ", "Mrs. ", "Mrs ", "Ms. ", "Ms "):
            if name.startswith(title):
                name, start = name[len(title):], start + len(title)
        words = [w.removesuffix("'s").removesuffix("’s") for w in name.split()]
        while words and words[-1].lower() in _NOT_NAMES:
            words.pop()
        if not words or words[0].lower() in _NOT_NAMES or not words[0][0].isupper():
            continue
        value = " ".join(words)
        found.add(fld, value, start, start + len(value), "cue:" + m.group(0)[: m.start(group) - m.start()].strip().lower())
        return value
    return None


def _role(urgency: str, intents: list[str]) -> str:
    if urgency == "emergency":
        return "clinician"
    if urgency == "urgent":
        return "nurse"
    if urgency == "routine":
        return "nurse" if intents[0] in CLINICAL_INTENTS else "front_desk"
    return "billing" if "billing_insurance" in intents else "front_desk"


def _callback_number(text: str, found: _Found) -> str | None:
    numbers = phone_numbers(text)
    if not numbers:
        return None
    chosen, rule = numbers[0], "first_number"
    for number in numbers[1:]:
        if _PREFERRED.match(text, number[2]):
            chosen, rule = number, "caller_preference"
    found.add("callback_number", chosen[0], chosen[1], chosen[2], rule)
    return chosen[0]


def _dob(text: str, found: _Found) -> str | None:
    for cue in re.finditer(r"\b(?:date of birth|birth ?date|birthday|born on|born|d\.?o\.?b\.?)\b[\s:,]*(?:is\s+)?",
                           text, re.IGNORECASE):
        toks = tokens(text[cue.end(): cue.end() + 80])
        when = parse_date([t for t, _, _ in toks])
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


def _anchor_words(phrase_lists) -> set[str]:
    return {w for phrases in phrase_lists for p in phrases for w in p.split() if len(w) >= 6 and w.isalpha()}


@Language.factory("clinical_norms", default_config={"vocabulary": [], "min_score": 90})
def _make_clinical_norms(nlp: Language, name: str, vocabulary: list[str], min_score: int):
    """Map a transcription near-miss of a clinical word to that word (token NORM), so the lexicon
    matches "shortness of breth" or "bleeing". Only words of 6+ letters with the same first letter
    ("returning" is not "turning"), to keep false hits rare;
    a false hit can only raise urgency, which the safety rule prefers to missing a red flag."""
    known = set(vocabulary)
    cache: dict[str, str | None] = {}

    def fix(doc: Doc) -> Doc:
        for token in doc:
            low = token.lower_
            if len(low) < 6 or low in known or not token.is_alpha:
                continue
            if low not in cache:
                same_start = [w for w in vocabulary if w[0] == low[0]]
                best = process.extractOne(low, same_start, scorer=fuzz.ratio, score_cutoff=min_score)
                cache[low] = best[0] if best else None
            if cache[low]:
                token.norm_ = cache[low]
        return doc

    return fix


def _language(doc: Doc) -> str:
    words = [t.lower_ for t in doc if t.is_alpha]
    spanish = sum(w in _SPANISH for w in words)
    return "es" if words and spanish / len(words) > 0.08 else "en"


def triaged_event(transcribed: dict, triage: dict, now: datetime) -> dict:
    return events.validate("voicemail.triaged", {
        "schema_version": events.SCHEMA_VERSION,
        "voicemail_id": transcribed["voicemail_id"],
        "voicemail": transcribed["voicemail"],
        "transcript": transcribed["transcript"],
        "triage": triage,
        "triaged_at": events.iso(now),
    })
