"""Spoken and written numbers as callers say them: phone numbers and dates of birth."""

from __future__ import annotations

import re
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache

from pipeline.classify.text import fold

_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)\b|[^\W\d_]+|\d+|[^\w\s]")  # "número" is one word, not "n" + "mero"
DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
               "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
UNITS = {w: int(d) for w, d in DIGIT_WORDS.items() if w not in ("oh", "o")}
# Spanish voicemails say their numbers in Spanish ("tres cero dos, cinco cinco cinco").
DIGIT_WORDS.update({"cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6",
                    "siete": "7", "ocho": "8", "nueve": "9"})
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# Spanish callers group a number's last four the same way ("treinta y seis, doce"); accents as Whisper may drop them.
UNITS_ES = {w: int(DIGIT_WORDS[w]) for w in ("uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve")}
TENS_ES = {"veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80,
           "noventa": 90}
TEENS_ES = {"diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciseis": 16,
            "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veintiuno": 21, "veintidos": 22,
            "veintitres": 23, "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26, "veintisiete": 27,
            "veintiocho": 28, "veintinueve": 29}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
            "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
            "twentieth": 20, "thirtieth": 30}
MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
# "4 o 8 o 4": Whisper's Spanish between digits; "area code two one zero, then five five five"
_SEPARATORS = {",", "-", ".", "(", ")", "/", "o", "y", "then", "luego"}
_SENTENCE_END = re.compile(r"[.?!](\s|$)")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Lowercased words and digit groups of the text, with their character offsets."""
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


# Words Whisper writes for a spoken digit ("three oh two" -> "free 02"): digits only right before one.
HOMOPHONES = {"free": "3", "tree": "3", "to": "2", "too": "2", "for": "4", "won": "1", "ate": "8"}
# Whisper's Spanish spellings of digit words on phone audio ("sinco", "pero uno" for "cero uno"):
# a word this close to a Spanish digit word counts inside a run of digits, never alone.
_FUZZY_ES = {w: DIGIT_WORDS[w] for w in ("cero", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve")}
_CORRECTION = re.compile(r"\W*(?:i mean|sorry|no wait|wait|correction|actually|let me correct that"
                         r"|perdon|perdón|digo|o sea)\b\W*",
                         re.IGNORECASE)


@lru_cache(maxsize=4096)
def _fuzzy_digit(word: str) -> str | None:
    if len(word) == 3:  # "los seis siete" for "dos seis siete": one letter off a short digit word
        off_by_one = (w for w in ("dos", "uno") if sum(a != b for a, b in zip(word, w, strict=True)) == 1)
        return next((DIGIT_WORDS[w] for w in off_by_one), None)
    if len(word) < 3 or not word.isalpha():
        return None
    best = max(_FUZZY_ES, key=lambda w: SequenceMatcher(None, word, w).ratio())
    return _FUZZY_ES[best] if SequenceMatcher(None, word, best).ratio() >= 0.75 else None


def _as_number(groups: list[tuple[str, int, int]]) -> tuple[str, int, int] | None:
    """Digit groups of one run -> the US number they end with: the whole run, or its last groups when
    something else was said just before ("born in 1941, 717-555-0194")."""
    for first in range(len(groups)):
        digits = "".join(g for g, _, _ in groups[first:])
        digits = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
        # Only a number shaped like one is cut out of a longer run (3-3-4, 3-7 or 10 digits at once).
        shaped = first == 0 or [len(g) for g, _, _ in groups[first:]] in ([3, 3, 4], [3, 7], [10])
        if len(digits) == 10 and digits[0] not in "01" and shaped:
            return "+1" + digits, groups[first][1], groups[-1][2]
        if len(digits) < 10:
            return None
    return None


_REPEAT = {"double": 2, "triple": 3}


def _pair_of(toks: list[tuple[str, int, int]], i: int, run_started: bool) -> tuple[str | None, int]:
    """Digits said as a pair or a repeat at toks[i] -> (digits, tokens used): "seventy-eight" 78,
    "seventy" 70, "fourteen" 14, "triple five" 555, "treinta y seis" 36 (callers group a number's last
    four as two pairs); "eight hundred" 800 opens a toll-free number."""
    tok = fold(toks[i][0])
    nxt = fold(toks[i + 1][0]) if i + 1 < len(toks) else ""
    if tok in TENS_ES or tok in TEENS_ES:
        value, used = _es_number([fold(t) for t, _, _ in toks[i:i + 3]], 0)
        return str(value), used
    if tok == "eight" and nxt == "hundred" and not run_started:
        return "800", 2
    if tok in TENS:
        if nxt in UNITS:
            return str(TENS[tok] + UNITS[nxt]), 2
        if nxt == "-" and i + 2 < len(toks) and toks[i + 2][0] in UNITS:
            return str(TENS[tok] + UNITS[toks[i + 2][0]]), 3
        return str(TENS[tok]), 1
    if tok in TEENS:
        return str(TEENS[tok]), 1
    if tok in _REPEAT and nxt in DIGIT_WORDS and nxt not in ("oh", "o"):
        return DIGIT_WORDS[nxt] * _REPEAT[tok], 2
    return None, 0


def _partial(run: list[tuple[str, int, int]]) -> bool:
    """An area code, or area code and exchange, so far, or those and part of the last four: a full stop there
    is a pause ("Four oh two. Five ...", Whisper's "717-555-0. 155.")."""
    lengths = [len(g) for g, _, _ in run]
    return sum(lengths) in (3, 6) or lengths[:2] == [3, 3] and len(lengths) == 3 and lengths[2] < 4


def _ellipsis(text: str, at: int) -> bool:
    return text[at - 1:at] == "." or text[at + 1:at + 2] == "."


@lru_cache(maxsize=64)  # the red-flag rules and the callback field read the same transcript
def phone_numbers(text: str) -> tuple[tuple[str, int, int], ...]:
    """US numbers spoken digit by digit ("three oh two, five five five ...") or in pairs ("seventy-eight
    thirty-four", "triple five"), or written (302-555-0147), as (E.164, start, end), in order of
    appearance. A correction right after a number ("... 0104, I mean 0106") replaces its last digits."""
    toks = tokens(text)
    runs: list[list[tuple[str, int, int]]] = []  # each run: groups of digits (digits, start, end)
    run: list[tuple[str, int, int]] = []
    joined = False  # the next digit joins the current group (no separator between)

    def digit_of(i: int) -> str | None:
        tok = toks[i][0]
        if tok.isdigit():
            return tok
        if tok in DIGIT_WORDS:
            spoken_before = any(toks[j][0] in UNITS for j in (i - 1, i - 2) if j >= 0)
            if tok == "oh" and not run or tok == "o" and not (run and spoken_before):
                return None  # "oh, hi" is not a zero, nor the Spanish "4 o 8"; "three oh two" has one
            return DIGIT_WORDS[tok]
        if not tok.isalpha():
            return None
        # Looks one word ahead only: a homophone or misspelling counts just before a digit or inside a run.
        nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
        before_digit = (nxt.isdigit() or nxt in DIGIT_WORDS and nxt not in ("oh", "o")
                        or nxt not in HOMOPHONES and _fuzzy_digit(nxt) is not None)
        # Opening a number, "to" must precede written digits ("free 02"): "fax it to two one five" is a preposition.
        if tok in HOMOPHONES and before_digit and (run or nxt.isdigit()):
            return HOMOPHONES[tok]
        return _fuzzy_digit(tok) if run or before_digit else None

    i = 0
    while i < len(toks):
        tok, s, e = toks[i]
        digit, used = _pair_of(toks, i, bool(run))  # "seventy-eight", "fourteen", "triple five": several digits at once
        if digit is not None:
            e = toks[i + used - 1][2]
            i += used - 1
        else:
            digit = digit_of(i)
        pause = tok == "." and _ellipsis(text, s)  # "two one five... five five five...": not a sentence end
        if digit is not None:
            # Spoken digits with no separator between them form one group ("two one five"); a
            # written number is a group of its own ("610 555 0166").
            # A spoken digit and written ones after it are one group too: Whisper's "free 02" for "three oh two".
            if run and joined and toks[i - 1][0].isalpha() and (tok.isalpha() or len(run[-1][0] + digit) == 3):
                run[-1] = (run[-1][0] + digit, run[-1][1], e)
            else:
                run.append((digit, s, e))
            joined = True
        elif tok in _SEPARATORS and run and (pause or not _SENTENCE_END.match(text, s) or _partial(run)):
            joined = False
        else:
            if run:
                runs.append(run)
            run, joined = [], False
        i += 1
    if run:
        runs.append(run)

    found: list[tuple[str, int, int]] = []
    last: tuple[list[tuple[str, int, int]], int] | None = None  # the previous run and its index in found (-1: none)
    for groups in runs:
        correction = last is not None and _CORRECTION.fullmatch(text, last[0][-1][2], groups[0][1])
        if correction and last is not None and len("".join(g for g, _, _ in groups)) in (4, 7):
            fixed = _as_number(_replace_tail(last[0], groups))
            if fixed is not None:
                if last[1] >= 0:
                    found[last[1]] = (fixed[0], found[last[1]][1], groups[-1][2])
                else:
                    found.append((fixed[0], fixed[1], groups[-1][2]))
                last = None
                continue
        number = _as_number(groups)
        if number is not None:
            found.append(number)
        last = (groups, len(found) - 1 if number is not None else -1)
    return tuple(found)


def _replace_tail(groups: list[tuple[str, int, int]], tail: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    digits = "".join(g for g, _, _ in groups)
    new = "".join(g for g, _, _ in tail)
    keep = digits[: 10 - len(new)] if len(digits) >= 10 else digits[: len(digits) - len(new)]
    return [(keep + new, groups[0][1], tail[-1][2])]


def _number(words: list[str], i: int) -> tuple[int | None, int]:
    """A cardinal or ordinal 1..99 spoken as words or digits at words[i] -> (value, words used)."""
    if i >= len(words):
        return None, 0
    w = words[i]
    if w.isdigit():
        return int(w), 1
    if w.rstrip("stndrh").isdigit() and w[-2:] in ("st", "nd", "rd", "th"):
        return int(w[:-2]), 1
    if w in TENS:
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt in UNITS:
            return TENS[w] + UNITS[nxt], 2
        if nxt in ORDINALS and ORDINALS[nxt] < 10:
            return TENS[w] + ORDINALS[nxt], 2
        return TENS[w], 1
    for table in (ORDINALS, TEENS, UNITS):
        if w in table:
            return table[w], 1
    if w in ("twentieth", "thirtieth"):
        return ORDINALS[w], 1
    return None, 0


def _year(words: list[str], i: int) -> tuple[int | None, int]:
    """1948 | 'nineteen forty eight' | 'nineteen oh five' | 'two thousand (and) five' | '48' -> (year, used)."""
    if i >= len(words):
        return None, 0
    w = words[i]
    if w.isdigit():
        n = int(w)
        if len(w) == 4:
            return n, 1
        if w in ("19", "20") and i + 1 < len(words) and len(words[i + 1]) == 2 and words[i + 1].isdigit():
            return n * 100 + int(words[i + 1]), 2  # "19, 39": one year said in two halves
        if len(w) == 2:
            return _century(n), 1
        return None, 0
    if w == "two" and i + 1 < len(words) and words[i + 1] == "thousand":
        j = i + 2 + (i + 2 < len(words) and words[i + 2] == "and")
        rest, used = _number(words, j)
        return (2000 + (rest or 0)), (j - i) + used
    if w in TEENS or w == "twenty":
        century = TEENS.get(w, 20)
        if i + 1 < len(words) and words[i + 1] in ("oh", "o"):
            unit, used = _number(words, i + 2)
            if unit is not None and unit < 10:
                return century * 100 + unit, 2 + used
        rest, used = _number(words, i + 1)
        if rest is not None and rest >= 10:
            return century * 100 + rest, 1 + used
    short, used = _number(words, i)
    if short is not None and used and short >= 10:
        return _century(short), used  # "sixty one" said for 1961
    return None, 0


def _century(two_digits: int) -> int:
    this_year = date.today().year % 100
    return (2000 if two_digits <= this_year else 1900) + two_digits


# Whisper writes a spoken digit as a homophone ("oh for, twenty one" for "oh four, twenty one").
_DATE_HOMOPHONES = {"for": "four", "to": "two", "too": "two", "won": "one", "ate": "eight", "free": "three"}
_DATE_START = 4  # a date may start a few words after its cue ("date of birth, let me think, 9 22 50")


def parse_date(words: list[str]) -> date | None:
    """The first date in a short run of words after a cue: 'June fourteenth nineteen forty eight',
    'June 14, 1948', 'oh four, twelve, sixty one', '3/22/55', 'the 9th of June 1950', and Whisper's
    spellings of them ('to 14, 38', '03, 03, 19, 39', '0-2, 28, 85')."""
    ws = [w for w in words if w not in {",", ".", "-", "/", "the", "of", "is", "was", "on", ":"}]
    heard = [_DATE_HOMOPHONES.get(w, w) for w in ws]
    for i in range(min(len(ws), _DATE_START)):
        for variant in (heard, ws) if heard != ws else (ws,):
            when = _date_at(variant, i)
            if when is not None:
                return when
    return None


def _date_at(ws: list[str], i: int) -> date | None:
    w = ws[i]
    if w in MONTHS:  # month day year
        day, used = _number(ws, i + 1)
        year, _ = _year(ws, i + 1 + used)
        return _safe(year, MONTHS[w], day) if day and year else None
    day, used = _number(ws, i)
    if day and i + used < len(ws) and ws[i + used] in MONTHS:  # day month year
        year, _ = _year(ws, i + used + 1)
        return _safe(year, MONTHS[ws[i + used]], day) if year else None
    # numeric month day year, spoken or written: "oh four twelve sixty one", "3 22 55", "0 2 28 85"
    month: int | None
    if w in ("oh", "o", "0") and i + 1 < len(ws) and (ws[i + 1] in UNITS or ws[i + 1] in "123456789"):
        month, j = int(UNITS.get(ws[i + 1], ws[i + 1])), i + 2
    else:
        month, used = _number(ws, i)
        j = i + used
    if month and 1 <= month <= 12:
        day, used = _number(ws, j)
        if day and 1 <= day <= 31:
            year, _ = _year(ws, j + used)
            if year:
                return _safe(year, month, day)
    return None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return d if date(1900, 1, 1) <= d <= date.today() else None


MONTHS_ES = {m: i for i, m in enumerate(["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                                         "septiembre", "octubre", "noviembre", "diciembre"], 1)}
MONTHS_ES["setiembre"] = 9
_ES_UNITS = {**UNITS_ES, "un": 1, "primero": 1}


def _es_number(ws: list[str], i: int) -> tuple[int | None, int]:
    """0..99 in Spanish words or digits at ws[i] -> (value, words used): "treinta y uno", "veintitres", "7"."""
    w = ws[i] if i < len(ws) else ""
    if w.isdigit() and len(w) <= 2:
        return int(w), 1
    if w in TENS_ES:
        if i + 2 < len(ws) and ws[i + 1] == "y" and ws[i + 2] in UNITS_ES:
            return TENS_ES[w] + UNITS_ES[ws[i + 2]], 3
        return TENS_ES[w], 1
    for table in (TEENS_ES, _ES_UNITS):
        if w in table:
            return table[w], 1
    return (0, 1) if w == "cero" else (None, 0)


def _es_year(ws: list[str], i: int) -> int | None:
    """'mil novecientos sesenta y dos', 'dos mil veintiuno', '1962', or two digits said alone ('cincuenta y ocho')."""
    w = ws[i] if i < len(ws) else ""
    if w.isdigit() and len(w) == 4:
        return int(w)
    if w == "mil" and i + 1 < len(ws) and ws[i + 1] == "novecientos":
        rest, _ = _es_number(ws, i + 2)
        return 1900 + (rest or 0)
    if w == "dos" and i + 1 < len(ws) and ws[i + 1] == "mil":
        rest, _ = _es_number(ws, i + 2)
        return 2000 + (rest or 0)
    short, used = _es_number(ws, i)
    return _century(short) if short is not None and used else None


def parse_date_es(words: list[str]) -> date | None:
    """A Spanish date in the words after a cue: 'el dos de abril del cincuenta y ocho', 'catorce de febrero de mil
    novecientos sesenta y dos', 'primero de mayo del 2001' (day first, as Spanish says it)."""
    ws = [fold(w) for w in words if w not in {",", ".", "-", "/", ":", "el", "es"}]
    for i in range(min(len(ws), _DATE_START)):
        day, used = _es_number(ws, i)
        j = i + used
        if not day or j + 1 >= len(ws) or ws[j] != "de" or ws[j + 1] not in MONTHS_ES:
            continue
        k = j + 2 + (j + 2 < len(ws) and ws[j + 2] in ("de", "del"))
        year = _es_year(ws, k)
        return _safe(year, MONTHS_ES[ws[j + 1]], day) if year else None
    return None


# Written numbers back into words, for the triage model: Whisper writes "978-555-0335", "100.6" and "48" where
# the voicemails the model learned from have "nine seven eight, five five five, ...", "a hundred point six" and
# "forty-eight". Reading both the same way keeps a recognizer's digits from looking like a new kind of message.
_EN = {v: k for k, v in {**UNITS, **TEENS, **TENS}.items()}
_ES = {v: k for k, v in {**UNITS_ES, **TEENS_ES, **TENS_ES}.items()}
_ES_HUNDREDS = {1: "ciento", 5: "quinientos", 7: "setecientos", 9: "novecientos"}
_PHONE = re.compile(r"\(?\b(\d{3})\)?[-. ]?(\d{3})[-. ](\d{4})\b|\b(\d{3})[-. ](\d{4})\b")
_DECIMAL = re.compile(r"\b(\d+)\.(\d+)\b")
_DECIMAL_ES = re.compile(r"\b(\d+)[.,](\d+)\b")  # "38,5" in Spanish; in English "1,200" is twelve hundred
_GROUPED = re.compile(r"\b(\d{1,3}),(\d{3})\b")
_READING = re.compile(r"\b(\d{2,3})/(\d{2,3})\b")  # a blood pressure
_CLOCK = re.compile(r"\b(\d{1,2}):(\d\d)\b")
_INTEGER = re.compile(r"\b\d+\b")


def _en_words(n: int) -> str:
    if n < 20:
        return _EN[n]
    if n < 100:
        return _EN[n - n % 10] + (f"-{_EN[n % 10]}" if n % 10 else "")
    if 1900 <= n < 2100 and n % 100 >= 10:  # a year, said in two halves
        return f"{_en_words(n // 100)} {_en_words(n % 100)}"
    if n < 1000:
        return f"{_EN[n // 100]} hundred" + (f" {_en_words(n % 100)}" if n % 100 else "")
    return f"{_en_words(n // 1000)} thousand" + (f" {_en_words(n % 1000)}" if n % 1000 else "")


def _es_words(n: int) -> str:
    if n < 30:
        return "cero" if n == 0 else _ES[n]
    if n < 100:
        return _ES[n - n % 10] + (f" y {_ES[n % 10]}" if n % 10 else "")
    if n < 1000:
        hundreds = "cien" if n == 100 else _ES_HUNDREDS.get(n // 100, f"{_ES[n // 100]}cientos")
        return hundreds + (f" {_es_words(n % 100)}" if n % 100 else "")
    thousands = "mil" if n < 2000 else f"{_es_words(n // 1000)} mil"
    return thousands + (f" {_es_words(n % 1000)}" if n % 1000 else "")


def say_numbers(text: str, spanish: bool = False) -> str:
    """The written numbers of `text` as a caller says them: phone numbers and 911 digit by digit, decimals with
    "point", readings "over", years in two halves; in Spanish words when `spanish`."""
    words = _es_words if spanish else _en_words
    point, over = ("punto", "sobre") if spanish else ("point", "over")

    def digits(s: str) -> str:
        return " ".join(words(int(d)) for d in s)

    text = _PHONE.sub(lambda m: ", ".join(digits(g) for g in m.groups() if g), text)
    if not spanish:
        text = _GROUPED.sub(lambda m: words(int(m.group(1) + m.group(2))), text)  # an amount, not digits
    decimal = _DECIMAL_ES if spanish else _DECIMAL
    text = decimal.sub(lambda m: f"{words(int(m.group(1)))} {point} {digits(m.group(2))}", text)
    text = _READING.sub(lambda m: f"{words(int(m.group(1)))} {over} {words(int(m.group(2)))}", text)
    text = _CLOCK.sub(lambda m: words(int(m.group(1))) + (f" {words(int(m.group(2)))}" if m.group(2) != "00" else ""),
                      text)
    return _INTEGER.sub(lambda m: digits(m.group()) if len(m.group()) > 4 or m.group() == "911"
                        else words(int(m.group())), text)
