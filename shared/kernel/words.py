"""The Vietnamese words for the codes the services' answers carry (pledge states, subject kinds,
award levels, deciding authorities, event names): one table each, so the console's pages and
reporting's workbooks say the same thing."""

from __future__ import annotations

PLEDGE_STATES = {
    "submitted": "Đã gửi",
    "accepted": "Đã chấp nhận",
    "returned": "Trả lại",
    "withdrawn": "Đã rút",
}
SUBJECT_KINDS = {"member": "Cá nhân", "unit": "Tập thể"}
UNIT_KINDS = {
    "upper": "Công đoàn cấp trên cơ sở",
    "grassroots": "Công đoàn cơ sở",
    "collective": "Tập thể",
    "block": "Khối thi đua",
}
LEVELS = {
    "grassroots": "Cơ sở",
    "federation": "LĐLĐ tỉnh",
    "national": "Tổng Liên đoàn",
    "state": "Nhà nước",
    "ministry": "Bộ, ngành",
    "issuing-unit": "Đơn vị ban hành",
}
AUTHORITIES = {
    "tld": "Tổng Liên đoàn",
    "ubnd-tinh": "UBND tỉnh",
    "provincial-committee": "UBND tỉnh",
    "prime-minister": "Thủ tướng Chính phủ",
    "president": "Chủ tịch nước",
    "?": "Chưa rõ",
}
PROGRAMMES = {"initiatives": "Sáng kiến", "works": "Công trình"}
EVENTS = {
    "federation-created": "Thành lập liên đoàn",
    "federation-merged": "Hợp nhất liên đoàn",
    "federation-corrected": "Đính chính thông tin liên đoàn",
    "unit-registered": "Đăng ký đơn vị",
    "unit-moved": "Chuyển đơn vị",
    "unit-merged": "Sáp nhập đơn vị",
    "unit-recoded": "Đổi mã đơn vị",
    "unit-dissolved": "Giải thể đơn vị",
    "unit-corrected": "Đính chính thông tin đơn vị",
    "member-registered": "Đăng ký đoàn viên",
    "member-transferred": "Chuyển sinh hoạt",
    "member-left": "Ra khỏi tổ chức",
    "member-corrected": "Đính chính thông tin đoàn viên",
    "movement-launched": "Phát động phong trào",
    "movement-closed": "Kết thúc phong trào",
    "pledge-registered": "Đăng ký thi đua",
    "pledge-accepted": "Chấp nhận đăng ký thi đua",
    "pledge-returned": "Trả lại đăng ký thi đua",
    "pledge-resubmitted": "Gửi lại đăng ký thi đua",
    "pledge-withdrawn": "Rút đăng ký thi đua",
    "covenant-signed": "Ký giao ước thi đua",
    "block-scored": "Chấm điểm trong khối",
    "block-leader-acclaimed": "Suy tôn đơn vị dẫn đầu khối",
    "target-assigned": "Giao chỉ tiêu",
    "initiative-registered": "Đăng ký sáng kiến",
    "initiative-recognised": "Công nhận sáng kiến",
    "initiative-rejected": "Không công nhận sáng kiến",
    "initiative-corrected": "Đính chính thông tin sáng kiến",
    "work-registered": "Đăng ký công trình",
    "work-completed": "Hoàn thành công trình",
    "work-plaqued": "Gắn biển công trình",
    "work-corrected": "Đính chính thông tin công trình",
    "award-defined": "Thêm hình thức khen thưởng",
    "rule-set-published": "Ban hành bộ tiêu chí",
    "rating-recorded": "Ghi xếp loại năm",
    "discipline-recorded": "Ghi kỷ luật",
    "nomination-submitted": "Gửi đề nghị khen thưởng",
    "nomination-withdrawn": "Rút đề nghị khen thưởng",
    "nomination-forwarded": "Chuyển đề nghị lên cấp trên",
    "council-resolved": "Hội đồng kết luận",
    "decision-issued": "Ban hành quyết định khen thưởng",
    "award-granted": "Được khen thưởng",
    "award-revoked": "Thu hồi khen thưởng",
    "decision-amended": "Sửa đổi quyết định khen thưởng",
    "decision-cancelled": "Hủy quyết định khen thưởng",
    "grant-cancelled": "Hủy khen thưởng (quyết định sửa đổi, hủy bỏ)",
    "grant-corrected": "Đính chính tên người được khen thưởng",
}


def authority_label(code: str) -> str:
    if code.startswith("ldld:"):
        return f"LĐLĐ {code.removeprefix('ldld:')}"
    return AUTHORITIES.get(code, code)
