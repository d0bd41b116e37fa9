"""The decision as a PDF to print (the same parts as decision_docx, Decree 30/2020/NĐ-CP's
layout, A4 portrait), the annex's tables after it."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from services.awards.adapters.documents.papers import (
    DecisionPaper,
    Line,
    article_1,
    dated,
    nfc,
    signature_block,
    subject_line,
)
from services.awards.adapters.documents.pdf_base import FAMILY, fonted, output

LEFT, RIGHT, TOP = 30.0, 15.0, 20.0
WIDTH = 210 - LEFT - RIGHT
NEXT = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
COLUMNS = tuple(WIDTH * part / 165 for part in (12, 55, 55, 43))  # STT, name, unit, award
ROW_LINE = 5.5


def decision_pdf(paper: DecisionPaper) -> bytes:
    pdf = fonted("P", f"Quyết định {paper.number}")
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    _heading(pdf, paper)
    pdf.ln(6)
    _line(pdf, "QUYẾT ĐỊNH", "B", 14)
    _line(pdf, subject_line(paper.title, paper.year), "B", 14)
    pdf.ln(4)
    _line(pdf, paper.wording["deciding_body"], "B", 14)
    pdf.ln(2)
    for basis in paper.wording["bases"]:
        _paragraph(pdf, basis, "I")
    pdf.ln(2)
    _line(pdf, "QUYẾT ĐỊNH:", "B", 14)
    pdf.ln(2)
    articles = (article_1(paper), paper.wording["article_2"], paper.wording["article_3"])
    for n, text in enumerate(articles, 1):
        _article(pdf, n, text)
    _closing(pdf, paper)
    _annex(pdf, paper)
    return output(pdf)


def _heading(pdf: FPDF, paper: DecisionPaper) -> None:
    w, y = paper.wording, pdf.get_y()
    left = [
        (w.get("parent_body", ""), ""),
        (w["issuing_body"], "B"),
        ("—————", ""),
        (f"Số: {paper.number}", ""),
    ]
    right = [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B"),
        ("Độc lập - Tự do - Hạnh phúc", "B"),
        ("———————————", ""),
        (dated(w["place"], paper.signed_on), "I"),
    ]
    for x, width, lines in ((LEFT - 16, 86.0, left), (LEFT + 71, 95.0, right)):
        pdf.set_xy(x, y)
        for text, style in lines:
            if text:
                pdf.set_x(x)
                pdf.set_font(FAMILY, style, 12)
                pdf.multi_cell(width, 6, nfc(text), align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_xy(LEFT, y + 28)


def _line(pdf: FPDF, text: str, style: str, size: float) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(WIDTH, 7, nfc(text), align=Align.C, **NEXT)  # type: ignore[arg-type]


def _paragraph(pdf: FPDF, text: str, style: str) -> None:
    pdf.set_font(FAMILY, style, 14)
    pdf.set_x(LEFT + 10)
    pdf.multi_cell(WIDTH - 10, 7, nfc(text), align=Align.J, **NEXT)  # type: ignore[arg-type]
    pdf.ln(1)


def _article(pdf: FPDF, n: int, text: str) -> None:
    """'Điều n.' in bold, the text after it on the same line, wrapping to the left margin
    (the first line indented, as the decree's paragraphs are); no markup read in the text."""
    pdf.set_x(LEFT + 10)
    pdf.set_font(FAMILY, "B", 14)
    pdf.write(7, f"Điều {n}. ")
    pdf.set_font(FAMILY, "", 14)
    pdf.write(7, nfc(text))
    pdf.ln(8)


def _closing(pdf: FPDF, paper: DecisionPaper) -> None:
    if pdf.get_y() > 297 - 90:
        pdf.add_page()
    pdf.ln(6)
    y = pdf.get_y()
    pdf.set_font(FAMILY, "BI", 12)
    pdf.cell(70, 6, "Nơi nhận:", **NEXT)  # type: ignore[arg-type]
    pdf.set_font(FAMILY, "", 11)
    for recipient in paper.wording["recipients"]:
        pdf.multi_cell(75, 5, nfc(f"- {recipient}"), **NEXT)  # type: ignore[arg-type]
    lines = signature_block(paper.wording, paper.signer)
    pdf.set_xy(LEFT + 80, y)
    pdf.set_font(FAMILY, "B", 14)
    for line in lines[:-1]:
        for part in line.splitlines():
            pdf.set_x(LEFT + 80)
            pdf.cell(85, 7, part, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_xy(LEFT + 80, pdf.get_y() + 25)
    pdf.cell(85, 7, lines[-1], align=Align.C, **NEXT)  # type: ignore[arg-type]


def _annex(pdf: FPDF, paper: DecisionPaper) -> None:
    pdf.add_page()
    _line(pdf, "DANH SÁCH", "B", 14)
    _line(pdf, "TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG", "B", 14)
    when = f"{paper.signed_on.day:02d}/{paper.signed_on.month:02d}/{paper.signed_on.year}"
    _line(pdf, f"(Kèm theo Quyết định số {paper.number} ngày {when})", "I", 13)
    pdf.ln(3)
    parts = (
        ("I. TẬP THỂ", "Tên tập thể", "Trực thuộc", paper.collectives),
        ("II. CÁ NHÂN", "Họ và tên", "Đơn vị", paper.individuals),
    )
    for heading, who, where, rows in parts:
        if rows:
            pdf.set_font(FAMILY, "B", 13)
            pdf.cell(WIDTH, 8, heading, **NEXT)  # type: ignore[arg-type]
            _table(pdf, (who, where), rows)
            pdf.ln(4)


def _table(pdf: FPDF, headings: tuple[str, str], rows: list[Line]) -> None:
    """Drawn cell by cell (fpdf's table lays every cell out twice: seconds for 500 rows); the
    header again on each new page."""
    head = ("STT", *headings, "Hình thức khen thưởng")
    _row(pdf, head, "B")
    for n, line in enumerate(rows, 1):
        _row(pdf, (str(n), line.name, line.unit, line.award), "", head)


def _row(pdf: FPDF, cells: tuple[str, ...], style: str, head: tuple[str, ...] | None = None) -> None:
    pdf.set_font(FAMILY, style, 12)
    lines = [_wrap(pdf, nfc(text), width - 2) for text, width in zip(cells, COLUMNS, strict=True)]
    height = max(len(cell) for cell in lines) * ROW_LINE + 2
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
        if head is not None:
            _row(pdf, head, "B")
            pdf.set_font(FAMILY, style, 12)
    x, y = LEFT, pdf.get_y()
    for i, (cell, width) in enumerate(zip(lines, COLUMNS, strict=True)):
        pdf.rect(x, y, width, height)
        for k, text in enumerate(cell):
            centred = i == 0 or style == "B"
            dx = (width - pdf.get_string_width(text)) / 2 if centred else 1
            pdf.text(x + dx, y + 1 + k * ROW_LINE + ROW_LINE * 0.75, text)
        x += width
    pdf.set_xy(LEFT, y + height)


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """`text` in lines no wider than `width` (words kept whole unless one alone is wider)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if pdf.get_string_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while pdf.get_string_width(word) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and pdf.get_string_width(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    return [*lines, current] if current or not lines else lines
