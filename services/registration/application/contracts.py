"""Registration's published events: explicit, versioned wire names (docs/architecture.md, "The
public contract"; the events and their data in docs/events.md)."""

from services.registration.domain.covenants import Covenant
from services.registration.domain.headcounts import Headcount
from services.registration.domain.members import Member
from services.registration.domain.movements import Movement
from services.registration.domain.organisation import UNIT_KINDS, Federation, Unit
from services.registration.domain.pledges import Pledge
from services.registration.domain.programmes import Initiative, Target, Work
from shared.kernel.words import SUBJECT_KINDS
from shared.messaging.contracts import Contract, Contracts

FED = {"federation": "bac-kan"}
PATH = ["cdn-giao-duc", "cdcs-thpt-cho-don"]
AT = {**FED, "unit": "cdcs-thpt-cho-don", "unit_path": PATH}
AT_NAMED = AT | {"unit_name": "CĐCS Trường THPT Chợ Đồn"}
KIND = {"subject_kind": tuple(SUBJECT_KINDS)}
AUTHOR = {"author_kind": tuple(SUBJECT_KINDS)}
UNIT_KIND = {"kind": UNIT_KINDS}
GENDER = {"gender": ("male", "female", "other")}
AN = {"code": "DV-0001245", "full_name": "Hoàng Thị Mai"}
MOVEMENT = {"movement": "thi-dua-2026", "year": 2026, "award": "bang-khen-ldld"}
PLEDGE = {**FED, **MOVEMENT, "subject_kind": "member", "subject_code": "DV-0001245"}
PLEDGE |= {"unit": "cdcs-thpt-cho-don", "on": "2026-03-20"}
PHASES = [{"name": "Đợt 1: Mừng Đảng, mừng Xuân", "starts": "2026-01-15", "ends": "2026-04-30"}]
BLOCK = {**FED, "block": "khoi-giao-duc", "block_name": "Khối thi đua Giáo dục", "year": 2026}
BLOCK_UNITS = ["cdcs-thpt-cho-don", "cdcs-thpt-ba-be", "cdcs-thpt-na-ri"]
CRITERIA = [
    {"name": "Tổ chức phong trào thi đua", "max_score": 40},
    {"name": "Phát triển đoàn viên", "max_score": 60},
]
SCORES = [{"unit": "cdcs-thpt-cho-don", "score": 92}, {"unit": "cdcs-thpt-ba-be", "score": 87}]
INITIATIVE = {
    **AT,
    "initiative": "SK-2026-017",
    "author_kind": "member",
    "author_code": "DV-0001245",
    "year": 2026,
}
WORK = {
    **AT,
    "work": "CT-2026-004",
    "name": "Nhà văn hoá công nhân Chợ Đồn",
    "value": 850000000,
    "year": 2026,
}

CONTRACTS = Contracts(
    "registration",
    {
        Federation.Created: Contract(
            "federation-created", example={**FED, "name": "Liên đoàn Lao động tỉnh Bắc Kạn"}
        ),
        Federation.Merged: Contract(
            "federation-merged",
            example={
                **FED,
                "into": "thai-nguyen",
                "effective_on": "2025-07-01",
                "units": ["cdn-giao-duc", "cdn-y-te"],
            },
        ),
        Federation.Corrected: Contract(
            "federation-corrected",
            example={**FED, "name": "Liên đoàn Lao động tỉnh Bắc Kạn", "reason": "Sai chính tả tên"},
        ),
        Unit.Registered: Contract(
            "unit-registered",
            enums=UNIT_KIND,
            optional=("former_codes",),  # units registered before codes could change
            example={**FED, "code": "cdcs-thpt-cho-don", "name": "CĐCS Trường THPT Chợ Đồn"}
            | {
                "kind": "grassroots",
                "parent": "cdn-giao-duc",
                "ancestry": ["cdn-giao-duc"],
                "effective_on": "2026-01-01",
                "former_codes": ["cdcs-thpt-cd"],
            },
        ),
        Unit.Moved: Contract(
            "unit-moved",
            enums=UNIT_KIND,
            example={
                **FED,
                "code": "cdcs-thpt-cho-don",
                "name": "CĐCS Trường THPT Chợ Đồn",
                "kind": "grassroots",
            }
            | {
                "from_parent": "cdn-giao-duc",
                "to_parent": "ldld-huyen-cho-don",
                "previous_ancestry": ["cdn-giao-duc"],
            }
            | {"ancestry": ["ldld-huyen-cho-don"], "to_federation": "bac-kan", "effective_on": "2026-07-01"},
        ),
        Unit.Merged: Contract(
            "unit-merged",
            example={
                **FED,
                "code": "cdcs-thcs-bang-lang",
                "into": "cdcs-thpt-cho-don",
                "effective_on": "2026-08-15",
            },
        ),
        Unit.Recoded: Contract(
            "unit-recoded",
            example={**FED, "code": "cdcs-thpt-cd", "to_code": "cdcs-thpt-cho-don"}
            | {"effective_on": "2026-01-01", "reason": "Đánh số lại mã đơn vị theo Quyết định 12/QĐ-LĐLĐ"},
        ),
        Unit.Dissolved: Contract(
            "unit-dissolved",
            example={**FED, "code": "cdcs-cty-khoang-san-bac-kan", "effective_on": "2026-06-30"},
        ),
        Unit.Corrected: Contract(
            "unit-corrected",
            example={
                **FED,
                "home": "bac-kan",
                "code": "cdcs-thpt-cho-don",
                "name": "CĐCS Trường THPT Chợ Đồn",
            }
            | {"reason": "Tên đơn vị ghi thiếu chữ"},
        ),
        Member.Registered: Contract(
            "member-registered",
            enums=GENDER,
            example={**AT_NAMED, **AN, "birth_year": 1988, "gender": "female"} | {"position": "Giáo viên"},
        ),
        Member.Transferred: Contract(
            "member-transferred",
            example={**FED, **AN, "from_unit": "cdcs-thcs-bang-lang", "unit": "cdcs-thpt-cho-don"}
            | {"unit_path": PATH, "effective_on": "2026-09-01"},
        ),
        Member.Left: Contract(
            "member-left", example={**FED, **AN, "unit": "cdcs-thpt-cho-don", "effective_on": "2026-12-31"}
        ),
        Member.Corrected: Contract(
            "member-corrected",
            enums=GENDER,
            optional=("birth_year", "gender", "position", "corrected"),  # older corrections: the name only
            example={**FED, "home": "bac-kan", **AN, "birth_year": 1988, "gender": "female"}
            | {"position": "Tổ trưởng chuyên môn", "corrected": ["full_name", "position"]}
            | {"reason": "Sai họ tên và chức vụ so với căn cước công dân, quyết định bổ nhiệm"},
        ),
        Movement.Launched: Contract(
            "movement-launched",
            enums={"kind": ("annual", "thematic", "phase")},
            example={**FED, "code": "thi-dua-2026", "name": "Thi đua lao động giỏi năm 2026"}
            | {"theme": "Lao động giỏi, lao động sáng tạo", "year": 2026, "kind": "annual", "phases": PHASES}
            | {
                "awards": ["bang-khen-ldld"],
                "registration_deadline": "2026-03-31",
                "launched_by": "thu.bac-kan",
                "launcher": "ubnd-tinh",
                "launcher_name": "UBND tỉnh Bắc Kạn",
            },
            optional=("launcher", "launcher_name"),  # absent from movements launched before launchers
        ),
        Movement.Amended: Contract(
            "movement-amended",
            example={**FED, "code": "thi-dua-2026", "name": "Thi đua lao động giỏi năm 2026"}
            | {"theme": "Lao động giỏi, lao động sáng tạo", "phases": PHASES, "awards": ["bang-khen-ldld"]}
            | {"registration_deadline": "2026-04-30", "amended": ["registration_deadline"]}
            | {"reason": "Gia hạn đăng ký theo đề nghị của các công đoàn ngành"},
        ),
        Movement.Closed: Contract(
            "movement-closed", example={**FED, "code": "thi-dua-2026", "closed_on": "2026-12-31"}
        ),
        Pledge.Registered: Contract(
            "pledge-registered",
            enums=KIND,
            example={**AT, **MOVEMENT, "movement_name": "Thi đua lao động giỏi năm 2026", "phase": None}
            | {
                "award_name": "Bằng khen của LĐLĐ tỉnh",
                "subject_kind": "member",
                "subject_code": "DV-0001245",
            }
            | {"subject_name": "Hoàng Thị Mai", "submitted_by": "thu.bac-kan", "pledged_on": "2026-03-10"},
        ),
        Pledge.Accepted: Contract("pledge-accepted", enums=KIND, example=PLEDGE),
        Pledge.Returned: Contract(
            "pledge-returned", enums=KIND, example=PLEDGE | {"reason": "Thiếu báo cáo thành tích"}
        ),
        Pledge.Resubmitted: Contract(
            "pledge-resubmitted",
            enums=KIND,
            # A resubmission as it was holds none of these; a corrected one all (issue 18).
            optional=(
                "reason",
                "corrected",
                "pledged_on",
                "phase",
                "submitted_by",
                "subject_name",
                "unit_path",
            ),
            example=PLEDGE
            | {"reason": "Ngày trên phiếu đăng ký là 15/03", "corrected": ["pledged_on"]}
            | {"pledged_on": "2026-03-15", "phase": None, "submitted_by": "cdcs-thpt-cho-don"}
            | {"subject_name": "Hoàng Thị Mai", "unit_path": PATH},
        ),
        Pledge.Withdrawn: Contract("pledge-withdrawn", enums=KIND, example=PLEDGE),
        Covenant.Signed: Contract(
            "covenant-signed",
            example={**BLOCK, "units": BLOCK_UNITS, "criteria": CRITERIA, "signed_on": "2026-02-20"},
        ),
        Covenant.Scored: Contract(
            "block-scored", example={k: v for k, v in BLOCK.items() if k != "block_name"} | {"scores": SCORES}
        ),
        Covenant.LeaderAcclaimed: Contract(
            "block-leader-acclaimed",
            example={**BLOCK, "units": ["cdcs-thpt-cho-don"], "acclaimed_on": "2026-12-15"},
        ),
        Target.Assigned: Contract(
            "target-assigned",
            enums={"programme": ("initiatives", "works"), "origin": ("assigned", "self")},
            example={**AT_NAMED, "programme": "initiatives", "year": 2026, "target": 3, "origin": "assigned"}
            | {"assigned_by": "thu.bac-kan"},
        ),
        Initiative.Registered: Contract(
            "initiative-registered",
            enums=AUTHOR,
            example=INITIATIVE
            | {"title": "Ứng dụng bảng tính chấm điểm thi đua", "field": "Giáo dục"}
            | {"benefit_value": 120000000, "author_name": "Hoàng Thị Mai", "registered_on": "2026-04-02"},
        ),
        Initiative.Recognised: Contract(
            "initiative-recognised",
            enums=AUTHOR,
            example=INITIATIVE
            | {"title": "Ứng dụng bảng tính chấm điểm thi đua", "benefit_value": 120000000}
            | {"recognised_on": "2026-10-20", "recognised_by": "Hội đồng sáng kiến LĐLĐ tỉnh"},
        ),
        Initiative.Rejected: Contract(
            "initiative-rejected",
            enums=AUTHOR,
            example={k: v for k, v in INITIATIVE.items() if k != "unit_path"}
            | {"rejected_on": "2026-10-20", "reason": "Chưa chứng minh được hiệu quả áp dụng"},
        ),
        Work.Registered: Contract(
            "work-registered",
            example=WORK | {"occasion": "Đại hội Công đoàn tỉnh lần thứ XI", "registered_on": "2026-03-01"},
        ),
        Work.Completed: Contract("work-completed", example=WORK | {"completed_on": "2026-11-30"}),
        Work.Plaqued: Contract("work-plaqued", example=WORK | {"plaqued_on": "2026-12-20"}),
        Initiative.Corrected: Contract(
            "initiative-corrected",
            enums=AUTHOR,
            example=INITIATIVE
            | {"title": "Ứng dụng bảng tính chấm điểm thi đua", "field": "Giáo dục"}
            | {"benefit_value": 95000000}
            | {"corrected": ["benefit_value"], "reason": "Giá trị làm lợi ghi nhầm số liệu năm trước"},
        ),
        Work.Corrected: Contract(
            "work-corrected",
            example=WORK
            | {"occasion": "Đại hội Công đoàn tỉnh lần thứ XI", "corrected": ["value"]}
            | {"reason": "Giá trị theo quyết toán công trình"},
        ),
        Headcount.Recorded: Contract(
            "unit-headcount-recorded",
            optional=("reason",),  # a correction of a day's figures says why
            example=AT | {"counted_on": "2026-12-31", "workers": 24, "members": 23, "reason": None},
        ),
    },
)
