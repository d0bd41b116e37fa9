"""What a printed decision and its certificates hold, gathered before rendering: plain values
only, so a rendering can run in another process (adapters/documents/renderer.py). Text is NFC,
names exactly as stored; the Vietnamese wording every paper shares is here."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Line:
    """One row of the annex: who, in which unit, which award."""

    name: str
    unit: str
    award: str


@dataclass(frozen=True)
class DecisionPaper:
    number: str
    signed_on: date
    year: int
    title: str
    signer: str
    wording: dict[str, Any]
    collectives: list[Line] = field(default_factory=list)
    individuals: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class Certificate:
    award: str
    recipient: str
    unit: str
    achievement: str
    decision_number: str
    decision_date: date
    signer: str
    signer_title: str
    signing_for: str
    issuing_body: str
    place: str
    code: str  # as printed, grouped
    url: str  # the QR code's target


@dataclass(frozen=True)
class Layout:
    """The federation's images (PNG or JPEG bytes), each optional."""

    background: bytes | None = None
    signature: bytes | None = None
    seal: bytes | None = None


def dated(place: str, on: date) -> str:
    """'Hà Nội, ngày 05 tháng 12 năm 2026' (days and months below 10 with a leading zero,
    as Decree 30/2020/NĐ-CP writes them for 1 and 2)."""
    return nfc(f"{place}, ngày {on.day:02d} tháng {on.month:02d} năm {on.year}")


def subject_line(title: str, year: int) -> str:
    """'Về việc khen thưởng …' from the decision's title."""
    text = title.strip() or f"Khen thưởng thành tích năm {year}"
    if text.lower().startswith("về việc"):
        return nfc(text)
    return nfc("Về việc " + text[0].lower() + text[1:])


def article_1(paper: DecisionPaper) -> str:
    """Điều 1: the awards and how many collectives and individuals each goes to."""
    counts: dict[str, list[int]] = {}
    for i, rows in enumerate((paper.collectives, paper.individuals)):
        for row in rows:
            counts.setdefault(row.award, [0, 0])[i] += 1
    parts = []
    for award, (units, people) in counts.items():
        whom = " và ".join(
            w for w in (f"{units} tập thể" if units else "", f"{people} cá nhân" if people else "") if w
        )
        parts.append(f"{award} cho {whom}")
    achievement = achievement_of(paper.wording, paper.year)
    return nfc(
        f"Tặng {'; '.join(parts)} (có danh sách kèm theo), {achievement[:1].lower() + achievement[1:]}."
    )


def achievement_of(wording: dict[str, Any], year: int) -> str:
    """The achievement line, `{year}` replaced (the federation's text is never a format string)."""
    return nfc(str(wording.get("achievement", "")).replace("{year}", str(year)))


def signature_block(wording: dict[str, Any], signer: str) -> list[str]:
    """The lines above and below the signature: authority (TM./KT.), title, then the name."""
    lines = [wording.get("signing_for", ""), wording.get("signer_title", "")]
    return [nfc(line) for line in lines if line] + [nfc(signer)]
