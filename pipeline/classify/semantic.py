"""The learned part of triage: a linear model over meaning and words, run as a spaCy component.

Features of a transcript:
- **static sentence embeddings**: every WordPiece token has a 256-d vector distilled from the
  all-MiniLM-L6-v2 sentence transformer (`training/distill.py`, the model2vec recipe: each token
  through the transformer alone, then PCA), so "a weight sitting on my chest" lands near "chest
  pressure" although no rule or training sentence says it. Each sentence is a frequency-weighted mean
  of its tokens (SIF: rare words count more), the message the mean, max and min over sentences (so
  one alarming sentence among small talk still shows), less its common component.
- **words**: log-scaled counts of the word uni- and bigrams seen in training (English and Spanish);
- **word pieces**: character 3- to 5-grams of each word, hashed into `CHAR_DIM` buckets, so a word
  never seen in training still shares most of its pieces with one that was ("breathing", "breathless",
  "respirar", Whisper's misspellings);
- **red-flag concepts**: which protocols, urgent signs and symptoms the rules found (`redflags.py`);
  red flags the rules dismissed as negated, hypothetical or past are blanked from the text the model reads,
  and which intent cue phrases occur (`lexicon.INTENTS`).

Heads: urgency from a small ensemble of one-hidden-layer networks (softmax over the four levels), one
sigmoid per intent, softmax over who is calling (self, caregiver, third party), a sigmoid for each of
the two role choices LABELS.md leaves open (`training/train.py` fits them with numpy; no torch, no
sklearn at run time). Runs at hundreds of transcripts a second on one core.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc
from tokenizers import Tokenizer

from pipeline.classify import lexicon
from pipeline.classify.redflags import DISMISSED, PROTOCOL_NAMES, URGENT_SIGNS, Flag, find_flags
from pipeline.classify.spoken import say_numbers
from pipeline.classify.text import fold, looks_spanish

MODEL_DIR = Path(__file__).with_name("model")
URGENCIES = ("emergency", "urgent", "routine", "informational")
INTENTS = ("symptom_report", "medication_refill", "medication_question", "test_results", "appointment",
           "billing_insurance", "records_forms", "referral", "returning_call", "other")
# Intents that need a nurse when the call is routine (LABELS.md); the rest is front-desk work.
CLINICAL_INTENTS = frozenset({"symptom_report", "medication_refill", "medication_question", "test_results"})
RELATIONSHIPS = ("self", "caregiver", "third_party")
# The two choices LABELS.md leaves open, each a sigmoid trained only on the voicemails it applies to:
# a routine call with no clinical intent found that still needs the nurse (vs the front desk), and an
# urgent call that needs a prescriber's decision now (clinician vs nurse).
ROLE_CHOICES = ("nurse_if_routine", "clinician_if_urgent")
FLAG_FEATURES = (*PROTOCOL_NAMES, *(f"urgent:{k}" for k in URGENT_SIGNS), "symptom")
_INTENT_CUES = {name: re.compile(r"\b(?:" + "|".join(re.escape(fold(p)) for p in
                                                    lexicon.INTENTS[name] + lexicon.INTENTS_ES.get(name, [])) + r")\b")
                for name in lexicon.INTENTS}
_WORD = re.compile(r"[a-z0-9']+")
_LETTERS = re.compile(r"[a-z']+")
CHAR_DIM = 2**14
CHAR_NGRAMS = (3, 4, 5)
_SENT = re.compile(r"(?:[^.!?;]|(?<=\d)\.(?=\d))+")

if not Doc.has_extension("flags"):
    Doc.set_extension("flags", default=None)
    Doc.set_extension("urgency_probs", default=None)
    Doc.set_extension("intent_probs", default=None)
    Doc.set_extension("relationship_probs", default=None)
    Doc.set_extension("role_probs", default=None)


def words(text: str) -> list[str]:
    """Word unigrams and bigrams of the folded text: the bag-of-words vocabulary."""
    toks = _WORD.findall(fold(text))
    return toks + [f"{a} {b}" for a, b in pairwise(toks)]


class Encoder:
    """Text -> feature vector (embedding pools, words, red-flag concepts)."""

    def __init__(self, model_dir: Path, vocab: list[str] | None = None,
                 flag_features: Sequence[str] = FLAG_FEATURES) -> None:
        # The flags the model was trained on, in its order: a protocol added since is the rules' alone
        # until the next fit, and leaves the model's input as it was.
        self.flag_index = {name: i for i, name in enumerate(flag_features)}
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.vectors = np.load(model_dir / "vectors.npy").astype(np.float32)
        self.dim = self.vectors.shape[1]
        self.vocab = {w: i for i, w in enumerate(vocab or [])}
        self.weights = np.ones(len(self.vectors), np.float32)
        self.common = np.zeros(3 * self.dim, np.float32)
        if (model_dir / "sif.npz").exists():
            with np.load(model_dir / "sif.npz") as sif:
                self.weights, self.common = sif["weights"].astype(np.float32), sif["common"].astype(np.float32)

    def fit_sif(self, texts: list[str], a: float = 1e-3) -> None:
        """Token weights a / (a + p(token)) from the training texts, then their first principal component."""
        counts = np.ones(len(self.vectors))
        for enc in self.tokenizer.encode_batch(texts, add_special_tokens=False):
            np.add.at(counts, enc.ids, 1)
        self.weights = (a / (a + counts / counts.sum())).astype(np.float32)
        self.common = np.zeros(3 * self.dim, np.float32)
        pooled = np.stack([self.embed(t) for t in texts])
        self.common = np.linalg.svd(pooled - pooled.mean(0), full_matrices=False)[2][0].astype(np.float32)

    def save_sif(self, model_dir: Path) -> None:
        """Write the SIF token weights and common component next to the model."""
        np.savez_compressed(model_dir / "sif.npz", weights=self.weights.astype(np.float16), common=self.common)

    def embed(self, text: str) -> np.ndarray:
        """Mean, max and min over the sentences' weighted token means, less the common component."""
        sents = [s for s in _SENT.findall(text) if s.strip()] or [text]
        pooled = []
        for enc in self.tokenizer.encode_batch(sents, add_special_tokens=False):
            ids = enc.ids
            w = self.weights[ids]
            pooled.append(w @ self.vectors[ids] / w.sum() if ids else np.zeros(self.dim, np.float32))
        per_sent = np.stack(pooled)
        v = np.concatenate([per_sent.mean(0), per_sent.max(0), per_sent.min(0)])
        return v - (v @ self.common) * self.common

    def bag(self, text: str) -> np.ndarray:
        """Log-scaled, unit-length counts of the vocabulary's uni- and bigrams in the text."""
        x = np.zeros(len(self.vocab), np.float32)
        for w in words(text):
            i = self.vocab.get(w)
            if i is not None:
                x[i] += 1.0
        return _log_unit(x)

    @staticmethod
    def chars(text: str) -> np.ndarray:
        """Log-scaled, unit-length counts of hashed character n-grams of the words ("<word>" padded)."""
        x = np.zeros(CHAR_DIM, np.float32)
        for w in _LETTERS.findall(fold(text)):
            for i in _pieces(w):
                x[i] += 1.0
        return _log_unit(x)

    def concepts(self, text: str, flags: list[Flag]) -> np.ndarray:
        """Which protocols and signs the rules found current, and how often each intent's cue phrases occur."""
        n = len(self.flag_index)
        x = np.zeros(n + len(_INTENT_CUES), np.float32)
        for f in flags:
            if f.urgency != DISMISSED and f.protocol in self.flag_index:
                x[self.flag_index[f.protocol]] = 1.0
        low = fold(text)
        for i, cue in enumerate(_INTENT_CUES.values()):
            x[n + i] = min(len(cue.findall(low)), 3) / 3
        return x

    def features(self, text: str, flags: list[Flag]) -> np.ndarray:
        """The model's input for one transcript: embedding pools, words, pieces and concepts, concatenated."""
        # The model reads the message without the red flags the rules dismissed ("no chest pain",
        # "after his stroke last year"): words alone cannot tell a negated flag from a present one.
        seen = text
        for f in flags:
            if f.urgency == DISMISSED:
                seen = seen[:f.start] + " " * (f.end - f.start) + seen[f.end:]
        # ... and reads a recognizer's digits as the words a caller says, as in the scripts it learned from.
        seen = say_numbers(seen, spanish=looks_spanish(_LETTERS.findall(fold(seen))))
        return np.concatenate([self.embed(seen), self.bag(seen), self.chars(seen), self.concepts(text, flags)])


@lru_cache(maxsize=1 << 16)
def _pieces(word: str) -> tuple[int, ...]:
    """The hashed character n-grams of one word, "<word>" padded; cached, as callers reuse their words."""
    w = f"<{word}>"
    return tuple(zlib.crc32(w[j:j + k].encode()) % CHAR_DIM for k in CHAR_NGRAMS for j in range(len(w) - k + 1))


@dataclass
class Heads:
    """The model's heads over standardized features; written by `train.py` to `heads.npz`.

    Urgency is an ensemble of small networks (one hidden ReLU layer each, softmax over URGENCIES,
    probabilities averaged): in cross-validation it raised about a quarter fewer non-emergencies than a
    linear head at the same emergency recall; it can weigh words in combination ("chest pain" beside
    "gone since Tuesday"). They are trained with input dropout (`train.DROPOUT`), so no one word carries
    a decision alone. Intents, who is calling and the two role choices are linear: a network did not do
    better for intents.
    """

    mean: np.ndarray
    scale: np.ndarray
    w_hidden: np.ndarray  # (members, features, hidden)
    b_hidden: np.ndarray  # (members, hidden)
    w_urgency: np.ndarray  # (members, hidden, urgencies)
    b_urgency: np.ndarray  # (members, urgencies)
    w_intents: np.ndarray
    b_intents: np.ndarray
    w_relationship: np.ndarray  # softmax over RELATIONSHIPS: who is calling, about whom
    b_relationship: np.ndarray
    w_roles: np.ndarray  # one sigmoid per ROLE_CHOICES
    b_roles: np.ndarray

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Features -> p(urgency), p(each intent), p(relationship), p(each role choice).

        The hidden layers read only the features that are not zero (a voicemail has a few hundred of
        the tens of thousands of word and piece features): standardizing is folded into their weights,
        so each voicemail touches a few percent of them. Same function as `predict_standardized`, up to
        float rounding."""
        w_hidden, b_hidden = self._folded
        rows = np.atleast_2d(x)
        cols = np.flatnonzero(rows.any(0))
        urgency = self._urgency(rows[:, cols], w_hidden[:, cols], b_hidden)
        intents, relationship, roles = self._linear((rows - self.mean) / self.scale)
        if x.ndim == 1:
            return urgency[0], intents[0], relationship[0], roles[0]
        return urgency, intents, relationship, roles

    @cached_property
    def _folded(self) -> tuple[np.ndarray, np.ndarray]:
        """Hidden weights and biases over raw features: ((x - mean) / scale) @ w = x @ v - mean @ v, v = w / scale."""
        w = self.w_hidden / self.scale[None, :, None]
        return w, self.b_hidden - np.einsum("f,kfh->kh", self.mean, w)

    def predict_standardized(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Standardized features -> p(urgency), p(each intent), p(relationship), p(each role choice)
        (training's path)."""
        return self._urgency(z, self.w_hidden, self.b_hidden), *self._linear(z)

    def _urgency(self, inputs: np.ndarray, w_hidden: np.ndarray, b_hidden: np.ndarray) -> np.ndarray:
        """The members' urgency probabilities, averaged, given their hidden layers over `inputs`."""
        return np.mean([softmax(np.maximum(inputs @ w1 + b1, 0) @ w2 + b2) for w1, b1, w2, b2 in
                        zip(w_hidden, b_hidden, self.w_urgency, self.b_urgency, strict=True)], axis=0)

    def _linear(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return linear_heads(z, self.w_intents, self.b_intents, self.w_relationship, self.b_relationship,
                            self.w_roles, self.b_roles)

    def save(self, path: Path) -> None:
        """Write the heads to `heads.npz`."""
        # The hidden layers end training rounded to half precision (`train.fit_urgency`): storing them so loses nothing.
        arrays = {f.name: getattr(self, f.name) for f in fields(self)}
        np.savez_compressed(path, **{k: v.astype(np.float16 if k == "w_hidden" else np.float32)
                                     for k, v in arrays.items()})

    @classmethod
    def load(cls, path: Path) -> Heads:
        """Read heads written by `save`."""
        with np.load(path) as z:
            return cls(**{k: z[k].astype(np.float32) for k in z.files})


def _log_unit(counts: np.ndarray) -> np.ndarray:
    """Log-scaled counts at unit length (all zeros stay zeros)."""
    x = np.log1p(counts)
    n = np.linalg.norm(x)
    return x / n if n else x


def linear_heads(z: np.ndarray, w_intents: np.ndarray, b_intents: np.ndarray, w_relationship: np.ndarray,
                 b_relationship: np.ndarray, w_roles: np.ndarray,
                 b_roles: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardized features -> p(each intent) (sigmoids), p(relationship) (softmax), p(each role choice) (sigmoids)."""
    return (sigmoid(z @ w_intents + b_intents), softmax(z @ w_relationship + b_relationship),
            sigmoid(z @ w_roles + b_roles))


def sigmoid(logits: np.ndarray) -> np.ndarray:
    """The logistic function, elementwise."""
    return 1.0 / (1.0 + np.exp(-logits))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the last axis."""
    p = np.exp(logits - logits.max(-1, keepdims=True))
    return p / p.sum(-1, keepdims=True)


class TriageModel:
    """The trained model: encoder + heads + the thresholds chosen on the dev split (`meta.json`)."""

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        self.meta = json.loads((model_dir / "meta.json").read_text())
        self.encoder = Encoder(model_dir, json.loads((model_dir / "vocab.json").read_text()),
                               self.meta.get("flag_features", FLAG_FEATURES))
        self.heads = Heads.load(model_dir / "heads.npz")

    def __call__(self, doc: Doc) -> Doc:
        """Find the red flags and set the urgency, intent, relationship and role-choice probabilities on the doc."""
        text = doc.text  # spaCy rebuilds it from the tokens on every access
        flags = find_flags(text)
        p_urgency, p_intents, p_relationship, p_roles = self.heads.predict(self.encoder.features(text, flags))
        doc._.flags = flags
        doc._.urgency_probs = dict(zip(URGENCIES, map(float, p_urgency), strict=True))
        doc._.intent_probs = dict(zip(INTENTS, map(float, p_intents), strict=True))
        doc._.relationship_probs = dict(zip(RELATIONSHIPS, map(float, p_relationship), strict=True))
        doc._.role_probs = dict(zip(ROLE_CHOICES, map(float, p_roles), strict=True))
        return doc


@Language.factory("triage_model", default_config={"model_dir": str(MODEL_DIR)})
def _make_triage_model(nlp: Language, name: str, model_dir: str) -> TriageModel:
    return TriageModel(Path(model_dir))
