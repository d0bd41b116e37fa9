"""The search fold: Vietnamese without diacritics, as a clerk types a name on any keyboard."""

from __future__ import annotations

import unicodedata

import pytest

from shared.kernel.text import fold

# Every Vietnamese vowel letter with each of the five tone marks (and none), upper and lower case.
VOWELS = {"a": "aăâ", "e": "eê", "i": "i", "o": "oôơ", "u": "uư", "y": "y"}
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # huyền, sắc, ngã, hỏi, nặng


@pytest.mark.parametrize("base,letters", sorted(VOWELS.items()))
def test_given_a_vowel_with_any_tone_when_folded_then_its_plain_letter(base: str, letters: str) -> None:
    for letter in letters:
        for tone in TONES:
            composed = unicodedata.normalize("NFC", letter + tone)
            assert fold(composed) == base, composed
            assert fold(composed.upper()) == base, composed.upper()


def test_given_d_with_stroke_when_folded_then_d() -> None:
    assert fold("Đặng Đình Đức") == "dang dinh duc"


def test_given_a_name_typed_decomposed_or_spaced_when_folded_then_the_same_words() -> None:
    assert fold(unicodedata.normalize("NFD", "  Nguyễn   Thị\tHương ")) == "nguyen thi huong"


def test_given_text_outside_latin_when_folded_then_kept_lower_cased() -> None:
    # No transliteration of other scripts: the same fold on both sides of a search still matches.
    assert fold("Công đoàn 中国 Ωμέγα") == "cong doan 中国 ωμεγα"
