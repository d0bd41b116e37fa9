"""Vietnamese text: stored in NFC; searched without diacritics; checked for characters nobody
types on purpose (control, bidirectional and invisible formatting characters) before it is
stored, searched or shown."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 control characters and DEL. NUL is refused by PostgreSQL's text; the others break
# lines, terminals and logs.
_CONTROLS = "\x00-\x1f\x7f-\x9f"
_CONTROLS_BUT_LINES = "\x00-\x08\x0b-\x1f\x7f-\x9f"  # free text keeps \t and \n
# Characters that change how text around them is shown, or are not shown at all: bidirectional
# marks, embeddings, overrides and isolates; zero-width spaces and joiners, the word joiner and
# invisible operators; the byte order mark; line and paragraph separators; interlinear
# annotation marks and tags (invisible, used to smuggle text); unpaired surrogates (not text,
# refused by any UTF-8 encoder); and the noncharacters U+FFFE and U+FFFF.
_INVISIBLE = (
    "\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\ufffe\uffff\U000e0000-\U000e007f\ud800-\udfff"
)
_UNSAFE = re.compile(f"[{_CONTROLS}{_INVISIBLE}]")
_UNSAFE_BUT_LINES = re.compile(f"[{_CONTROLS_BUT_LINES}{_INVISIBLE}]")


def unsafe(value: str, lines: bool = False) -> str | None:
    """Why `value` may not be stored, or None. `lines`: free text, where line breaks (\\n) and
    tabs are allowed; names, codes and parameters never hold any control character."""
    found = (_UNSAFE_BUT_LINES if lines else _UNSAFE).search(value)
    if found is None:
        return None
    char = found.group()
    point = ord(char)
    if unicodedata.category(char) == "Cc":
        kind = "a control character" + (" other than a line break or tab" if lines else "")
    elif 0xD800 <= point <= 0xDFFF:
        kind = "an unpaired surrogate"
    else:
        kind = "an invisible or bidirectional formatting character"
    return f"must not contain {kind} (U+{point:04X} at position {found.start() + 1})"


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


# Letters with a stroke or bar have no decomposition; Vietnamese has one (đ).
_UNDECOMPOSED = str.maketrans(
    {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"}
)


def fold(value: str) -> str:
    """The form used for search, without diacritics, lower-cased, spaces collapsed:
    'Nguyễn Văn An' -> 'nguyen van an'. Tone and vowel marks are combining marks after
    decomposition and are dropped; other scripts are kept (not transliterated), so both sides of
    a search fold alike."""
    decomposed = unicodedata.normalize("NFKD", value.translate(_UNDECOMPOSED))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())
