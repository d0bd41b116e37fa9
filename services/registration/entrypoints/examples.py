"""Response examples for the OpenAPI document (request examples sit on the command models)."""

from __future__ import annotations

from typing import Any

UNIT = {
    "federation": "bac-kan",
    "code": "cdcs-truong-a",
    "name": "CĐCS Trường THPT A",
    "kind": "grassroots",
    "parent": "ldld-tp-bac-kan",
    "path": "ldld-tp-bac-kan/cdcs-truong-a",
    "state": "active",
    "ended_on": None,
    "merged_into": None,
    "placements": [{"from": "2020-01-01", "federation": "bac-kan", "parent": "ldld-tp-bac-kan"}],
    "version": 1,
}
MEMBER = {
    "federation": "bac-kan",
    "code": "dv-0001",
    "full_name": "Nguyễn Văn An",
    "unit": "cdcs-truong-a",
    "unit_path": "ldld-tp-bac-kan/cdcs-truong-a",
    "birth_year": 1985,
    "gender": "male",
    "position": "Giáo viên",
    "left_on": None,
    "placements": [{"from": None, "unit": "cdcs-truong-a"}],
    "version": 1,
}
PLEDGE = {
    "id": "3f0c2b1e-8d4a-5b7e-9c21-0a6d4e8f1b23",
    "federation": "bac-kan",
    "movement": "td-2023",
    "year": 2023,
    "award": "bang-khen-ldld",
    "subject_kind": "member",
    "subject_code": "dv-0001",
    "unit": "cdcs-truong-a",
    "unit_path": "ldld-tp-bac-kan/cdcs-truong-a",
    "state": "submitted",
    "pledged_on": "2023-02-01",
}
EXAMPLES: dict[str, Any] = {
    "federation": {
        "code": "bac-kan",
        "name": "LĐLĐ tỉnh Bắc Kạn",
        "merged_into": "thai-nguyen",
        "merged_on": "2025-07-01",
        "absorbed": [],
        "version": 2,
    },
    "federations": {
        "items": [
            {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn", "merged_into": None, "merged_on": None},
            {"code": "cao-bang", "name": "LĐLĐ tỉnh Cao Bằng", "merged_into": None, "merged_on": None},
        ],
        "next_cursor": "ImNhby1iYW5nIg==",
    },
    "unit": UNIT,
    "units": {
        "federation": "bac-kan",
        "as_of": "2023-12-31",
        "next_cursor": "ImNkY3MtdHJ1b25nLWEi",
        "items": [{k: UNIT[k] for k in ("code", "name", "kind", "parent", "path")}],
    },
    "member": MEMBER,
    "members": {
        "federation": "bac-kan",
        "as_of": "2023-12-31",
        "next_cursor": None,
        "items": [
            {
                "code": "dv-0001",
                "full_name": "Nguyễn Văn An",
                "unit": "cdcs-truong-a",
                "unit_path": "ldld-tp-bac-kan/cdcs-truong-a",
            }
        ],
    },
    "movement": {
        "federation": "bac-kan",
        "code": "td-2023",
        "name": "Phong trào thi đua năm 2023",
        "theme": "Lao động giỏi, lao động sáng tạo",
        "year": 2023,
        "kind": "annual",
        "phases": [{"name": "Đợt 1", "starts": "2023-01-31", "ends": "2023-05-31"}],
        "awards": ["bang-khen-ldld", "co-thi-dua-ldld"],
        "registration_deadline": "2023-03-31",
        "launched_by": None,
        "launcher": "bac-kan",
        "launcher_name": "LĐLĐ tỉnh Bắc Kạn",
        "closed_on": None,
        "version": 1,
    },
    "pledge": {
        **PLEDGE,
        "subject_name": "Nguyễn Văn An",
        "phase": "Đợt 1",
        "submitted_by": "cdcs-truong-a",
        "return_reason": None,
        "version": 1,
    },
    "pledges": {"next_cursor": "MTIz", "items": [{**PLEDGE, "subject_name": "Nguyễn Văn An"}]},
    "batch": {
        "mode": "keep-good-rows",
        "rows": 3,
        "accepted": 2,
        "rejected": 1,
        "results": [
            {"row": 2, "status": "accepted", "pledge": PLEDGE["id"]},
            {"row": 3, "status": "accepted", "pledge": "9a1d6c0e-2b4f-5e3a-8c7d-1f2e3a4b5c6d"},
            {
                "row": 4,
                "status": "rejected",
                "errors": [
                    {
                        "row": 4,
                        "column": "Mã đối tượng",
                        "field": "subject_code",
                        "message": "unknown member 'dv-9999'",
                    }
                ],
            },
        ],
    },
    "covenant": {
        "federation": "cao-bang",
        "block": "khoi-1",
        "year": 2023,
        "units": ["cdcs-a", "cdcs-b"],
        "criteria": [{"name": "Thực hiện nhiệm vụ chuyên môn", "max_score": 40}],
        "signed_on": "2023-02-15",
        "scores": [],
        "leaders": [],
        "version": 1,
    },
    "target": {
        "federation": "bac-kan",
        "unit": "ldld-tp-bac-kan",
        "programme": "initiatives",
        "year": 2023,
        "assigned": 1800,
        "self": 1900,
        "target": 1900,
        "version": 2,
    },
    "initiative": {
        "federation": "bac-kan",
        "code": "sk-2023-0001",
        "title": "Phần mềm quản lý hồ sơ",
        "field": "công nghệ thông tin",
        "benefit_value": 150000000,
        "author_kind": "member",
        "author_code": "dv-0001",
        "unit": "cdcs-truong-a",
        "year": 2023,
        "state": "recognised",
        "registered_on": "2023-03-01",
        "decided_on": "2023-11-20",
        "version": 2,
    },
    "work": {
        "federation": "bac-kan",
        "code": "ct-01",
        "name": "Nhà văn hoá công nhân",
        "unit": "ldld-tp-bac-kan",
        "value": 1200000000,
        "occasion": "Đại hội Đảng bộ tỉnh lần thứ XII",
        "year": 2023,
        "state": "plaqued",
        "registered_on": "2023-03-01",
        "completed_on": "2023-09-30",
        "plaqued_on": "2023-10-10",
        "version": 3,
    },
}


EXAMPLES["movements"] = {
    "next_cursor": None,
    "items": [
        {
            k: EXAMPLES["movement"][k]
            for k in (
                *("code", "name", "year", "kind", "registration_deadline"),
                *("launched_by", "launcher", "launcher_name", "closed_on"),
            )
        }
    ],
}
EXAMPLES["initiatives"] = {
    "next_cursor": None,
    "items": [
        {
            **{
                k: EXAMPLES["initiative"][k]
                for k in (
                    "code",
                    "title",
                    "author_kind",
                    "author_code",
                    "unit",
                    "year",
                    "benefit_value",
                    "state",
                    "registered_on",
                )
            },
            "unit_path": "ldld-tp-bac-kan/cdcs-truong-a",
        }
    ],
}
EXAMPLES["works"] = {
    "next_cursor": None,
    "items": [
        {
            **{
                k: EXAMPLES["work"][k]
                for k in ("code", "name", "unit", "value", "occasion", "year", "state", "registered_on")
            },
            "unit_path": "ldld-tp-bac-kan",
        }
    ],
}


EXAMPLES["headcounts"] = {
    "federation": "bac-kan",
    "unit": "cdcs-truong-a",
    "counts": [{"counted_on": "2023-12-31", "workers": 24, "members": 23}],
    "version": 1,
    "unit_path": ["ldld-tp-bac-kan", "cdcs-truong-a"],
}
EXAMPLES["headcounts-recorded"] = {"recorded": 1, "units": 1}


def ok(name: str, status: int = 200) -> dict[int | str, dict[str, Any]]:
    return {status: {"content": {"application/json": {"example": EXAMPLES[name]}}}}
