"""The units' search folds names in SQL (`translate`) as `fold` folds the query."""

from __future__ import annotations

from services.registration.adapters.unit_search import FROM, TO, pattern
from shared.kernel.text import fold

NAMES = ["CĐCS Trường THPT Chợ Đồn", "Công đoàn Bộ phận Ữ Ỹ", "LĐLĐ tỉnh Bắc Kạn", "Tổ 1 - Khối ẩm thực"]


def test_the_sql_translation_folds_a_vietnamese_name_as_fold_does() -> None:
    # Given names with every kind of Vietnamese mark; When translated as the SQL does
    table = str.maketrans(FROM, TO)
    # Then each reads as its folded form
    assert [name.translate(table) for name in NAMES] == [fold(name) for name in NAMES]


def test_a_search_is_folded_and_its_like_wildcards_escaped() -> None:
    # Given searches with diacritics and LIKE's wildcards; When made a pattern
    # Then it is the folded text anywhere in the name, its wildcards taken literally
    assert pattern("  Trường  Đà ") == "%truong da%"
    assert pattern("50%_a") == "%50\\%\\_a%"
    assert pattern("") is None and pattern(None) is None
