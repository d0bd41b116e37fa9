"""Certificates (Bằng khen, Giấy khen): one A4 landscape page per recipient — the award's name,
the recipient, the unit, the achievement line, the decision's number and date, the signer — with
the verification code and a QR code of the page that checks it. The federation's background,
signature and seal images where it uploaded them; a plain double frame where not."""

from __future__ import annotations

import io
from collections.abc import Sequence

import segno
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from services.awards.adapters.documents.papers import Certificate, Layout, dated, nfc
from services.awards.adapters.documents.pdf_base import FAMILY, fonted, output

W, H = 297.0, 210.0
RED = (150, 20, 20)
QR_SIZE = 28.0


def certificates_pdf(certificates: Sequence[Certificate], layout: Layout) -> bytes:
    pdf = fonted("L", "Bằng khen, giấy khen")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    for certificate in certificates:
        pdf.add_page()
        _frame(pdf, layout)
        _face(pdf, certificate)
        _signature(pdf, certificate, layout)
        _verification(pdf, certificate)
    return output(pdf)


def _frame(pdf: FPDF, layout: Layout) -> None:
    if layout.background:
        pdf.image(io.BytesIO(layout.background), 0, 0, W, H)
        return
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, W - 16, H - 16)
    pdf.set_line_width(0.4)
    pdf.rect(11, 11, W - 22, H - 22)


def _centered(pdf: FPDF, y: float, text: str, style: str, size: float, color: tuple[int, int, int]) -> float:
    """`text` centred across the page from `y`, wrapped if long; the y below it."""
    pdf.set_text_color(*color)
    pdf.set_font(FAMILY, style, size)
    pdf.set_xy(30, y)
    pdf.multi_cell(W - 60, size * 0.45, nfc(text), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return pdf.get_y()


def _face(pdf: FPDF, c: Certificate) -> None:
    black = (0, 0, 0)
    y = _centered(pdf, 20, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 13, black)
    y = _centered(pdf, y, "Độc lập - Tự do - Hạnh phúc", "B", 13, black)
    y = _centered(pdf, y + 4, c.issuing_body, "B", 15, black)
    y = _centered(pdf, y + 1, "TẶNG", "B", 14, black)
    y = _centered(pdf, y + 4, c.award.upper(), "B", 30, RED)
    y = _centered(pdf, y + 4, c.recipient, "B", 24, (0, 40, 120))
    y = _centered(pdf, y + 2, c.unit, "I", 15, black)
    _centered(pdf, y + 3, c.achievement, "", 15, black)


def _signature(pdf: FPDF, c: Certificate, layout: Layout) -> None:
    x, width, y = W - 135, 110.0, 132.0
    pdf.set_text_color(0, 0, 0)
    lines = [
        (dated(c.place, c.decision_date), "I", 13),
        *((part, "B", 13) for part in c.signing_for.splitlines() if part),
        (c.signer_title, "B", 13),
    ]
    pdf.set_xy(x, y)
    for text, style, size in lines:
        if text:
            pdf.set_font(FAMILY, style, size)
            pdf.set_x(x)
            pdf.cell(width, 6, nfc(text), align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
    top = pdf.get_y()
    if layout.seal:
        pdf.image(io.BytesIO(layout.seal), x + width / 2 - 28, top, 30, 30)
    if layout.signature:
        pdf.image(io.BytesIO(layout.signature), x + width / 2 - 20, top + 3, 40, 20)
    pdf.set_font(FAMILY, "B", 14)
    pdf.set_xy(x, min(top + 28, H - 22))
    pdf.cell(width, 7, nfc(c.signer), align=Align.C)
    pdf.set_font(FAMILY, "", 11)
    pdf.set_xy(x, min(top + 35, H - 16))
    pdf.cell(width, 5, nfc(f"Quyết định số {c.decision_number}"), align=Align.C)


def _verification(pdf: FPDF, c: Certificate) -> None:
    x, y = 24.0, H - 24 - QR_SIZE
    _qr(pdf, c.url, x, y, QR_SIZE)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FAMILY, "", 10)
    pdf.set_xy(x + QR_SIZE + 3, y + 6)
    pdf.cell(90, 5, "Mã xác minh:", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(90, 6, c.code, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(90, 5, nfc(f"Tra cứu: {c.url.rsplit('/', 1)[0]}"))


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """The QR code drawn as vector rectangles (one per run of dark modules in a row)."""
    rows = [list(row) for row in segno.make(url, error="m").matrix_iter(border=2)]
    module = size / len(rows)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        start = None
        for col, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                pdf.rect(x + start * module, y + r * module, (col - start) * module, module, style="F")
                start = None
