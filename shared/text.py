"""Vietnamese text: stored in NFC; searched without diacritics."""

from __future__ import annotations

import unicodedata

from unidecode import unidecode


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str) -> str:
    """Lower-case ASCII form used for search: 'Nguyễn Văn An' -> 'nguyen van an'."""
    return " ".join(unidecode(nfc(value)).lower().split())
