"""The decision as an editable Word document (.docx) laid out as Decree 30/2020/NĐ-CP sets out:
the heading (issuing body left, national name and motto right), number and symbol, place and
date, the title, the legal bases, the articles, the recipients and the signature, then the annex
of every grant, collectives and individuals in separate tables. Times New Roman, 13-14 pt, on A4
with the decree's margins; the office edits it before signing if it must."""

from __future__ import annotations

import copy
import io

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from services.awards.adapters.documents.papers import (
    DecisionPaper,
    Line,
    article_1,
    dated,
    nfc,
    signature_block,
    subject_line,
)

FONT = "Times New Roman"
WIDTHS = (Mm(12), Mm(55), Mm(55), Mm(43))
CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT


def decision_docx(paper: DecisionPaper) -> bytes:
    doc = Document()
    _page(doc)
    _heading(doc, paper)
    _say(doc, "QUYẾT ĐỊNH", bold=True, align=CENTER, size=14, before=12)
    _say(doc, subject_line(paper.title, paper.year), bold=True, align=CENTER, size=14)
    _say(doc, paper.wording["deciding_body"], bold=True, align=CENTER, size=14, before=12, after=6)
    for basis in paper.wording["bases"]:
        _say(doc, basis, italic=True, align=JUSTIFY, indent=True)
    _say(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER, size=14, before=6, after=6)
    articles = (article_1(paper), paper.wording["article_2"], paper.wording["article_3"])
    for n, text in enumerate(articles, 1):
        p = _say(doc, "", align=JUSTIFY, indent=True)
        _run(p, f"Điều {n}. ", bold=True)
        _run(p, text)
    _closing(doc, paper)
    _annex(doc, paper)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page(doc: DocumentType) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT  # type: ignore[attr-defined]
    style.font.size = Pt(14)  # type: ignore[attr-defined]
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # type: ignore[union-attr]
    style.paragraph_format.space_after = Pt(0)  # type: ignore[attr-defined]


def _heading(doc: DocumentType, paper: DecisionPaper) -> None:
    w = paper.wording
    table = _bare_table(doc, 1, 2, (Mm(70), Mm(95)))
    left, right = table.rows[0].cells
    if w.get("parent_body"):
        _in(left, w["parent_body"], size=13, first=True)
        _in(left, w["issuing_body"], bold=True, size=13)
    else:
        _in(left, w["issuing_body"], bold=True, size=13, first=True)
    _in(left, "—————", size=13)
    _in(left, f"Số: {paper.number}", size=13)
    _in(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13, first=True)
    _in(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    _in(right, "———————————", size=13)
    _in(right, dated(w["place"], paper.signed_on), italic=True, size=14)


def _closing(doc: DocumentType, paper: DecisionPaper) -> None:
    table = _bare_table(doc, 1, 2, (Mm(80), Mm(85)))
    left, right = table.rows[0].cells
    p = _in(left, "Nơi nhận:", bold=True, italic=True, size=12, first=True, align=LEFT)
    p.paragraph_format.space_before = Pt(12)
    for recipient in paper.wording["recipients"]:
        _in(left, f"- {recipient}", size=11, align=LEFT)
    lines = signature_block(paper.wording, paper.signer)
    first = True
    for line in lines[:-1]:
        for part in line.splitlines():
            _in(right, part, bold=True, size=14, first=first).paragraph_format.space_before = Pt(
                12 if first else 0
            )
            first = False
    for _ in range(4):
        _in(right, "", size=14)
    _in(right, lines[-1], bold=True, size=14, first=first)


def _annex(doc: DocumentType, paper: DecisionPaper) -> None:
    p = _say(doc, "", align=CENTER)
    p.add_run().add_break(WD_BREAK.PAGE)
    _run(p, "DANH SÁCH", bold=True)
    _say(doc, "TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG", bold=True, align=CENTER)
    when = f"{paper.signed_on.day:02d}/{paper.signed_on.month:02d}/{paper.signed_on.year}"
    words = f"(Kèm theo Quyết định số {paper.number} ngày {when})"
    _say(doc, words, italic=True, align=CENTER, after=6)
    parts = (
        ("I. TẬP THỂ", "Tên tập thể", "Trực thuộc", paper.collectives),
        ("II. CÁ NHÂN", "Họ và tên", "Đơn vị", paper.individuals),
    )
    for heading, who, where, rows in parts:
        if rows:
            _say(doc, heading, bold=True, before=6, after=3)
            _rows(doc, (who, where), rows)


def _rows(doc: DocumentType, headings: tuple[str, str], rows: list[Line]) -> None:
    """The header, then one formatted row copied for each line (python-docx's per-cell calls
    cost milliseconds each: a 500-line annex would take seconds)."""
    table = doc.add_table(rows=2, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header, model = table.rows
    for cell, text in zip(header.cells, ("STT", *headings, "Hình thức khen thưởng"), strict=True):
        _in(cell, text, bold=True, size=13, first=True)
    for i, cell in enumerate(model.cells):
        _in(cell, "-", size=13, first=True, align=CENTER if i == 0 else LEFT)
    for row in (header, model):
        for cell, width in zip(row.cells, WIDTHS, strict=True):
            cell.width = width
    tr = model._tr
    for n, line in enumerate(rows, 1):
        copied = copy.deepcopy(tr)
        for t, text in zip(copied.iter(qn("w:t")), (str(n), line.name, line.unit, line.award), strict=True):
            t.text = nfc(text)
            t.set(qn("xml:space"), "preserve")
        tr.addprevious(copied)
    tr.getparent().remove(tr)


def _bare_table(doc: DocumentType, rows: int, cols: int, widths: tuple[Mm, Mm]) -> Table:
    table = doc.add_table(rows=rows, cols=cols)
    table.autofit = False
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width
    return table


def _in(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = 14,
    first: bool = False,
    align: WD_ALIGN_PARAGRAPH = CENTER,
) -> Paragraph:
    """A paragraph in a table cell; `first` writes into the cell's own empty paragraph."""
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = align
    if text:
        _run(p, text, bold=bold, italic=italic, size=size)
    return p


def _say(
    doc: DocumentType,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = 14,
    align: WD_ALIGN_PARAGRAPH = LEFT,
    indent: bool = False,
    before: int = 0,
    after: int = 0,
) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent:
        fmt.first_line_indent = Mm(10)
    if text:
        _run(p, text, bold=bold, italic=italic, size=size)
    return p


def _run(p: Paragraph, text: str, *, bold: bool = False, italic: bool = False, size: int = 14) -> None:
    run = p.add_run(nfc(text))
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    run.font.size = Pt(size)
