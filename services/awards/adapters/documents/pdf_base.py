"""A PDF with Liberation Serif (metric-compatible with Times New Roman, every Vietnamese glyph)
embedded and subsetted, as every paper of awards prints."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent.parent / "fonts"
FAMILY = "LiberationSerif"
_STYLES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}


def fonted(orientation: str, title: str) -> FPDF:
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    for style, name in _STYLES.items():
        pdf.add_font(FAMILY, style, str(FONTS / f"LiberationSerif-{name}.ttf"))
    pdf.set_font(FAMILY, size=13)
    pdf.set_title(title)
    pdf.set_creator("TĐKT")
    return pdf


def output(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
