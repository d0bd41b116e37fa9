"""A report's .xlsx answer: its title block worked out from the path asked and the report (the
federation's name or "Toàn quốc", the report's Vietnamese title, its year, term or subject, the
date it stands as of, the moment it was made in Vietnam time), then the workbook (adapters.xlsx)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import Request, Response

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries.names import federation_names
from services.reporting.adapters.xlsx import Heading, workbook
from shared.kernel import clock
from shared.kernel.periods import LABELS as PERIOD_KINDS
from shared.kernel.text import fold
from shared.kernel.words import PROGRAMMES, SUBJECT_KINDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLES = {
    "registrations": "Báo cáo đăng ký thi đua",
    "awards": "Báo cáo khen thưởng",
    "initiatives": "Báo cáo sáng kiến",
    "works": "Báo cáo công trình chào mừng",
    "targets": "Báo cáo thực hiện chỉ tiêu",
    "term": "Báo cáo nhiệm kỳ",
    "rotation": "Luân phiên Cờ thi đua trong khối",
    "history": "Quá trình thi đua, khen thưởng",
    "tree": "Báo cáo tổ chức: đơn vị, CNVCLĐ và đoàn viên",
}


def _period(report: dict[str, Any]) -> str:
    if "subject_kind" in report:
        return f"{SUBJECT_KINDS.get(report['subject_kind'], report['subject_kind'])} {report['code']}"
    if "from" in report:
        if "blocks" in report:
            return f"Từ năm {report['from']} đến năm {report['to']}"
        return f"Nhiệm kỳ {report['from']}–{report['to']}"
    if "year" not in report:
        return "Tổ chức tính đến ngày " + date.fromisoformat(str(report["as_of"])).strftime("%d/%m/%Y")
    period = f"Năm {report['year']}"
    if "period_name" in report or "period_kind" in report:  # the awards report of one period or kind
        kind = PERIOD_KINDS.get(report.get("period_kind", ""), "")
        period += f" – {report.get('period_name') or kind.lower() + ' kết thúc trong năm'}"
    if "programme" in report:
        period += f" – chương trình {PROGRAMMES.get(report['programme'], report['programme'])}"
    return period


def _as_of(request: Request, report: dict[str, Any]) -> date:
    """The date the figures stand as of: the report's, else the one asked for, else the last day
    of its year or term, else today (the rotation, read as it stands)."""
    asked = report.get("as_of") or request.query_params.get("as_of")
    if asked:
        return date.fromisoformat(str(asked))
    last = report.get("year", report.get("to"))
    if last is not None and "blocks" not in report:
        return date(int(last), 12, 31)
    return clock.today()


def heading(request: Request, report: dict[str, Any], names: dict[str, str]) -> Heading:
    segments = request.url.path.rstrip("/").split("/")
    kind = "history" if "history" in segments else segments[-1]
    federation = report.get("federation")
    return Heading(
        place=names.get(federation, federation) if federation else "Toàn quốc",
        title=TITLES.get(kind, kind),
        period=_period(report),
        as_of=_as_of(request, report),
        made_at=datetime.now(clock.VIETNAM).replace(tzinfo=None),
        unit=None if "subject_kind" in report else report.get("unit"),
    )


async def xlsx_answer(request: Request, reads: Reads, report: dict[str, Any], title: str) -> Response:
    """The workbook of a report already checked for the caller; `title` names the file."""
    names = await federation_names(reads)
    name = fold(title).replace(" ", "-").replace("/", "-")
    return Response(
        workbook(report, heading(request, report, names), names),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )
