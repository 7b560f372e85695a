from datetime import date

import pytest

from pipeline.classify.spoken import parse_date, parse_date_es, phone_numbers, say_numbers, tokens


@pytest.mark.parametrize(("text", "expected"), [
    ("call me at two one five, five five five, zero one three two", ["+12155550132"]),
    ("My number is 302-555-0119.", ["+13025550119"]),
    ("(610) 555-0177 or 215.555.0132!", ["+16105550177", "+12155550132"]),
    ("one eight five six, five five five, zero one zero four", ["+18565550104"]),
    ("tres cero dos, cinco cinco cinco, cero uno dos siete", ["+13025550127"]),
    ("Please call 215-555-0132. Oh, and thanks", ["+12155550132"]),  # "Oh" after a sentence is not a zero
    ("I owe two hundred and forty dollars", []),
    ("five five five, zero one", []),  # too short to be a number
    # Whisper's renderings through phone audio
    ("born March 3rd, 1958, 412-555-0190 is my cell", ["+14125550190"]),  # a year just before
    ("my birthday is June 2 1970 215 555 0143", ["+12155550143"]),
    ("Reach me at free 02, 555, 0111.", ["+13025550111"]),  # "three oh two"
    ("born 4, 12, 61, free 02 555 0188. Thanks.", ["+13025550188"]),  # the same after a date
    ("Call me back, 215-555-0. 162. Thanks", ["+12155550162"]),  # a full stop inside the last four
    ("Take 555-0123. 12 tablets a day", []),  # seven digits, then a sentence about something else
    ("It's 717-555-0121, I mean 0112.", ["+17175550112"]),  # a correction replaces the last digits
    ("Es el 610-555-01910. Perdón, 0191.", ["+16105550191"]),
    ("dos uno cinco, sinco sinco cinco, pero uno ocho siete", ["+12155550187"]),  # Spanish as Whisper spells it
    ("pero no tengo fiebre, cinco dias", []),  # a Spanish word near a digit is not a digit on its own
    ("4 o 8 o 4, 5 o 5 o 5, 1 2", []),  # the Spanish "o" (or) is not a zero
    ("9, 7, 7, 7, 5, 5, 5, 3, 1, 4, 9", []),  # no number is cut out of a run without the shape of one
    # the last four as two pairs, an area code as digit + pair, repeats, pauses
    ("it's five oh one, five five five, twenty-two ninety.", ["+15015552290"]),
    ("reach me at nine sixteen, five five five, oh four eleven", ["+19165550411"]),
    ("four one two double five five, sixty seventy", ["+14125556070"]),
    ("call three oh three... triple five... one two one two. Thanks", ["+13035551212"]),
    ("Número siete uno tres, cinco cinco cinco, cero cuatro cuatro uno.", ["+17135550441"]),  # not "n" + "mero"
    ("He is seventy-two. I owe forty dollars.", []),
    # Spanish pairs, toll-free, pauses read as full stops, "then" between groups
    ("cuatro cero siete, cinco cinco cinco, treinta y seis, doce. Gracias", ["+14075553612"]),
    ("nueve cinco uno, cinco cinco cinco, veintidós, cero ocho", ["+19515552208"]),
    ("Eight hundred, five five five, zero one one two.", ["+18005550112"]),
    ("she takes two hundred milligrams, call eight hundred", []),
    ("Four oh two, five five five. Zero five nine two.", ["+14025550592"]),
    ("código de área nueve uno cinco, luego cinco cinco cinco, cero uno cuatro siete", ["+19155550147"]),
    ("Fax it to two one five, five five five, zero one two three", ["+12155550123"]),  # "to" is no "two" here
    ("Tenía treinta y dos años. Once more, thanks.", []),
])
def test_phone_numbers(text: str, expected: list[str]) -> None:
    assert [n for n, _, _ in phone_numbers(text)] == expected


def test_phone_number_span_points_at_the_words() -> None:
    text = "reach me at three oh two, five five five, zero one four seven please"
    (_, start, end), = phone_numbers(text)
    assert text[start:end] == "three oh two, five five five, zero one four seven"


@pytest.mark.parametrize(("said", "expected"), [
    ("June fourteenth nineteen forty eight", date(1948, 6, 14)),
    ("June 14, 1948", date(1948, 6, 14)),
    ("oh four, twelve, sixty one", date(1961, 4, 12)),
    ("three, twenty two, fifty five", date(1955, 3, 22)),
    ("November second, nineteen seventy", date(1970, 11, 2)),
    ("August thirtieth, nineteen eighty nine", date(1989, 8, 30)),
    ("the 9th of June 1950", date(1950, 6, 9)),
    ("3/22/55", date(1955, 3, 22)),
    ("January first, two thousand and five", date(2005, 1, 1)),
    ("February thirtieth, nineteen fifty", None),  # no such day
    ("next Tuesday", None),
    # Whisper's spellings of spoken dates
    ("to 11, 47", date(1947, 2, 11)),  # "two eleven forty seven"
    ("to 3rd of May, 1962", date(1962, 5, 3)),  # "the third of May"
    ("oh ate, 30, 1971", date(1971, 8, 30)),
    ("07, 19, 19, 44", date(1944, 7, 19)),  # a year in two halves
    ("0-6, 12, 90", date(1990, 6, 12)),
    ("let me see, 5, 17, 82", date(1982, 5, 17)),  # a few words after the cue
])
def test_parse_date(said: str, expected: date | None) -> None:
    assert parse_date([t for t, _, _ in tokens(said)]) == expected


@pytest.mark.parametrize(("said", "expected"), [
    ("el dos de abril del cincuenta y ocho", date(1958, 4, 2)),
    ("catorce de febrero de mil novecientos sesenta y dos", date(1962, 2, 14)),
    ("el primero de septiembre del dos mil diez", date(2010, 9, 1)),
    ("treinta y uno de julio de 1970", date(1970, 7, 31)),
    ("el veintitrés de marzo del noventa", date(1990, 3, 23)),
    ("treinta de febrero del cincuenta", None),  # no such day
    ("el martes que viene", None),
])
def test_parse_date_es(said: str, expected: date | None) -> None:
    assert parse_date_es([t for t, _, _ in tokens(said)]) == expected


def test_written_numbers_are_said_as_a_caller_says_them() -> None:
    assert say_numbers("Call me at 978-555-0335 or (312) 555-0199, it read 100.6 at 3:30, he was born in 1948.") == (
        "Call me at nine seven eight, five five five, zero three three five or three one two, five five five, zero one"
        " nine nine, it read one hundred point six at three thirty, he was born in nineteen forty-eight.")
    assert say_numbers("His pressure is 182/110, we called 911, day 10 of 21, the bill says $1,200.") == (
        "His pressure is one hundred eighty-two over one hundred ten, we called nine one one, day ten of twenty-one,"
        " the bill says $one thousand two hundred.")
    assert say_numbers("Tiene 38.5 de fiebre y 185/105 de presión, nació en 1990.", spanish=True) == (
        "Tiene treinta y ocho punto cinco de fiebre y ciento ochenta y cinco sobre ciento cinco de presión, nació en"
        " mil novecientos noventa.")
