"""Reports as Excel workbooks: a summary sheet, then one sheet per grouping, Vietnamese headings."""

from __future__ import annotations

import io
import json
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

HEADINGS = {
    "federation": "Liên đoàn",
    "unit": "Đơn vị",
    "unit_name": "Tên đơn vị",
    "year": "Năm",
    "as_of": "Tính đến ngày",
    "award": "Mã hình thức",
    "award_name": "Hình thức khen thưởng",
    "subject_kind": "Đối tượng",
    "pledged": "Số đăng ký",
    "by_state": "Theo trạng thái",
    "movement": "Phong trào",
    "phase": "Đợt",
    "granted": "Số được khen",
    "revoked": "Số bị thu hồi",
    "level": "Cấp",
    "by_authority": "Theo cấp quyết định",
    "nominated": "Số đề nghị",
    "withdrawn": "Rút",
    "forwarded": "Chuyển lên",
    "passed": "Hội đồng thông qua",
    "achieved": "Đạt",
    "percent": "Tỷ lệ (%)",
    "registered": "Số đăng ký",
    "recognised": "Được công nhận",
    "benefit_value": "Giá trị làm lợi (đồng)",
    "target": "Chỉ tiêu",
    "percent_of_target": "% chỉ tiêu",
    "value": "Giá trị (đồng)",
    "completed": "Hoàn thành",
    "completed_value": "Giá trị hoàn thành (đồng)",
    "plaqued": "Gắn biển",
    "plaqued_value": "Giá trị gắn biển (đồng)",
    "occasion": "Chào mừng",
    "programme": "Chương trình",
    "initiatives": "Sáng kiến",
    "works": "Công trình",
    "works_value": "Giá trị công trình (đồng)",
    "works_plaqued": "Công trình gắn biển",
    "initiatives_recognised": "Sáng kiến được công nhận",
    "block": "Khối thi đua",
    "block_name": "Tên khối",
    "units": "Đơn vị",
    "unit_names": "Tên các đơn vị",
    "strict_rotation": "Luân phiên",
    "longest_rotation_years": "Số năm luân phiên liên tiếp",
    "years_not_to_top_scorer": "Năm không trao cho đơn vị điểm cao nhất",
    "flag_to": "Được tặng Cờ",
    "acclaimed": "Được suy tôn",
    "top_scorers": "Điểm cao nhất",
    "from": "Từ năm",
    "to": "Đến năm",
}
SHEETS = {
    "by_award": "Theo hình thức",
    "by_unit": "Theo đơn vị",
    "by_movement": "Theo phong trào",
    "by_phase": "Theo đợt",
    "nominated_upward": "Đề nghị cấp trên",
    "pledged_vs_achieved": "Đăng ký - Đạt",
    "by_occasion": "Theo dịp",
    "by_year": "Theo năm",
    "grants_by_award": "Khen thưởng theo hình thức",
    "blocks": "Khối thi đua",
    "by_federation": "Theo liên đoàn",
}


def _cell(value: Any) -> Any:
    """A cell's value; text a workbook cannot hold (C0 controls other than tab and newline, as
    a value stored before text hygiene or echoed from a request may carry) is shown as U+FFFD,
    so one such character never fails the whole report."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def workbook(report: dict[str, Any], title: str) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Tổng hợp"
    summary.append([_cell(title)])
    summary["A1"].font = Font(bold=True)
    for key, value in report.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            sheet = book.create_sheet(SHEETS.get(key, key)[:31])
            columns = list(value[0].keys())
            sheet.append([_cell(HEADINGS.get(c, c)) for c in columns])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in value:
                sheet.append([_cell(row.get(c)) for c in columns])
        elif not isinstance(value, list):
            summary.append([_cell(HEADINGS.get(key, key)), _cell(value)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
