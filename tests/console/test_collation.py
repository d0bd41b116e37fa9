"""Vietnamese collation of names (no browser): one key, used wherever the console orders names."""

from __future__ import annotations

import unicodedata

from services.console.application.formatting import collation_key, sort_vn


def test_letters_follow_the_vietnamese_alphabet() -> None:
    # Given the letters whose order differs from a byte or English sort
    letters = ["đ", "e", "ê", "d", "â", "ă", "a", "b", "c", "ơ", "ô", "o", "ư", "u"]
    # When they are sorted
    # Then they come in the alphabet's order: a ă â b c d đ e ê … o ô ơ … u ư
    assert sort_vn(letters) == ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "o", "ô", "ơ", "u", "ư"]


def test_tones_come_after_the_base_letter_and_before_the_next_letter() -> None:
    # Given one syllable with each tone, and the next letter
    words = ["ạn", "ăn", "án", "ãn", "ản", "àn", "an"]
    # When sorted
    # Then the toneless syllable comes first, then huyền, hỏi, ngã, sắc, nặng; "ăn" after all of them
    assert sort_vn(words) == ["an", "àn", "ản", "ãn", "án", "ạn", "ăn"]


def test_letters_decide_before_tones() -> None:
    # Given names where the tone differs early but a letter differs later
    names = ["Ánh", "Anh Tú", "Ăn"]
    # When sorted
    # Then the letters decide first ("Ánh" is the shorter word, its tone does not push it after
    # "Anh Tú"); the tone only breaks a tie of letters ("Anh" before "Ánh")
    assert sort_vn(names) == ["Ánh", "Anh Tú", "Ăn"]
    assert sort_vn(["Ánh", "Anh"]) == ["Anh", "Ánh"]


def test_a_word_ends_before_a_longer_word() -> None:
    # Given a name that is a prefix of another word
    # When sorted
    # Then "An Bình" (the word "An") comes before "Anh"
    assert sort_vn(["Anh", "An Bình"]) == ["An Bình", "Anh"]


def test_d_with_stroke_comes_after_every_d() -> None:
    # Given family names with D and Đ, upper and lower case
    names = ["Đặng Thị Ánh", "Dương Văn Bảy", "đào Minh", "Đinh Lan", "Dung"]
    # When sorted
    # Then all D names come before all Đ names, case aside
    assert sort_vn(names) == ["Dung", "Dương Văn Bảy", "đào Minh", "Đặng Thị Ánh", "Đinh Lan"]


def test_decomposed_text_sorts_as_composed() -> None:
    # Given the same name typed composed (NFC) and decomposed (NFD, as some keyboards send it)
    name = "Nguyễn Thị Ơn"
    # When both are keyed
    # Then the letters and tones are the same
    assert collation_key(unicodedata.normalize("NFD", name))[:2] == collation_key(name)[:2]


def test_sorts_records_by_a_field() -> None:
    # Given units as the services list them
    units = [
        {"name": "CĐCS Trường THPT Bắc Kạn"},
        {"name": "CĐCS Bệnh viện Đa khoa tỉnh"},
        {"name": "CĐCS Ánh Dương"},
    ]
    # When sorted by name
    # Then by the name's letters: Ánh (a), Bệnh (b), Trường (t)
    assert [u["name"] for u in sort_vn(units, "name")] == [
        "CĐCS Ánh Dương",
        "CĐCS Bệnh viện Đa khoa tỉnh",
        "CĐCS Trường THPT Bắc Kạn",
    ]
