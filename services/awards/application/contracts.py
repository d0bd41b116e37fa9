"""Awards' published events: explicit, versioned wire names (the public contract of
docs/architecture.md; each event's data in docs/events.md). Events not listed (histories opened,
grants noted, votes, ballots, policy) are stored, never published. Each data's fixed values and an
example are here (the typed schema in docs/asyncapi-awards.json, shared.web.asyncapi)."""

from typing import get_args

from services.awards.application.commands import DisciplineLevel, Occasion, Rating, SubjectKind
from services.awards.domain.catalogue import FederationCatalogue
from services.awards.domain.councils import Council
from services.awards.domain.dossiers import KINDS, Dossier
from services.awards.domain.file_types import EXTENSIONS
from services.awards.domain.grants import Decision, Grant
from services.awards.domain.history import History
from services.awards.domain.nominations import Nomination
from services.awards.domain.policy import RuleBook
from shared.messaging.contracts import Contract, Contracts

KIND = {"subject_kind": get_args(SubjectKind)}
FED = {"federation": "bac-kan"}
AT = {**FED, "unit": "cdcs-thpt-cho-don", "unit_path": ["cdn-giao-duc", "cdcs-thpt-cho-don"]}
WHO = {"subject_kind": "member", "subject_code": "DV-0001245"}
AN = {**WHO, "subject_name": "Hoàng Thị Mai"}
BANG_KHEN = {"award": "bang-khen-ldld", "award_name": "Bằng khen của LĐLĐ tỉnh", "level": "federation"}
NOMINATION = "8d0f4d2c-61a7-5b1e-9c3f-2a7e4b6d9f10"
NOMINATION_ID = {"nomination": "uuid"}
DECISION = {"decision_number": "125/QĐ-LĐLĐ", "signer": "Lý Văn Hùng"}
GOOD = {"clause": "rating-at-least-good", "rating": {"at_least": "good"}}
RULE = {"award": "bang-khen-ldld", "source": "Quy chế khen thưởng LĐLĐ tỉnh Bắc Kạn", "clauses": [GOOD]}
USED = {"facts_used": {"ratings": {"2025": "excellent"}}}
VERDICT = {"award": "bang-khen-ldld", "year": 2026, "rule_version": "2026.1", "eligible": True}
VERDICT |= {"clauses": [{"clause": "rating-at-least-good", "passed": True, **USED}]}
RESULT = {"nomination": NOMINATION, **AN, "award": "bang-khen-ldld", "yes": 7, "no": 1, "abstain": 1}
GRANT = {**AN, "award": "bang-khen-ldld", "nomination": NOMINATION, "occasion": "regular"}
GRANT_ID = "3b9e7c14-2d5a-5f86-b0c1-7e4d2a9f6c83"
# What a grant is for (shared.kernel.periods): a calendar year, a school year or a phase.
SCHOOL_YEAR = {"kind": "school-year", "from": 2025, "to": 2026}

CONTRACTS = Contracts(
    "awards",
    {
        FederationCatalogue.Defined: Contract(
            "award-defined",
            enums={"subjects": ("member", "unit", "both"), "kind": ("title", "commendation")},
            example={**FED, "code": "giay-khen-ldld-bk", "name": "Giấy khen của LĐLĐ tỉnh Bắc Kạn"}
            | {"subjects": "both", "level": "federation", "authority": "federation", "kind": "commendation"}
            | {"threshold": 0.5, "strict": False, "secret_ballot": True, "disclosure": True, "direct": False}
            | {"bonus_coefficient": 1.5, "effective_from": "2026-01-01"},
            optional=("effective_from",),  # absent from awards defined before versions
        ),
        FederationCatalogue.Amended: Contract(
            "award-amended",
            example={**FED, "code": "giay-khen-ldld-bk", "effective_from": "2027-01-01"}
            | {"changes": {"name": "Giấy khen của Ban Thường vụ LĐLĐ tỉnh Bắc Kạn", "threshold": 0.6}},
        ),
        FederationCatalogue.Retired: Contract(
            "award-retired", example={**FED, "code": "giay-khen-ldld-bk", "effective_until": "2027-12-31"}
        ),
        RuleBook.Published: Contract(
            "rule-set-published",
            example={**FED, "award": "bang-khen-ldld", "rule_version": "2026.1"}
            | {"effective_from": "2026-01-01", "rule": RULE},
        ),
        History.RatingRecorded: Contract(
            "rating-recorded",
            enums={**KIND, "rating": get_args(Rating)},
            example={**FED, **AN, "unit": "cdcs-thpt-cho-don", "year": 2025, "rating": "excellent"},
        ),
        History.DisciplineRecorded: Contract(
            "discipline-recorded",
            enums={**KIND, "level": get_args(DisciplineLevel)},
            example={**FED, **AN, "unit": "cdcs-thpt-cho-don", "year": 2024}
            | {"level": "reprimand", "decided_on": "2024-09-12"},
        ),
        Nomination.Submitted: Contract(
            "nomination-submitted",
            formats=NOMINATION_ID,
            enums=KIND,
            optional=("attempt", "period"),
            example={**AT, **AN, **BANG_KHEN, "nomination": NOMINATION, "year": 2026, "period": SCHOOL_YEAR}
            | {"nominated_by": "thu.bac-kan", "grounds": "Hoàn thành xuất sắc nhiệm vụ năm học 2025-2026"}
            | {"eligible": True, "verdict": VERDICT, "upward": False, "attempt": 0},
        ),
        Nomination.Withdrawn: Contract(
            "nomination-withdrawn",
            formats=NOMINATION_ID,
            enums=KIND,
            example={**FED, "nomination": NOMINATION, **WHO, "award": "bang-khen-ldld", "year": 2026},
        ),
        Nomination.Forwarded: Contract(
            "nomination-forwarded",
            formats=NOMINATION_ID,
            enums={**KIND, "to": ("national", "state")},
            example={**FED, "nomination": NOMINATION, **WHO, "award": "bang-khen-tld", "year": 2026}
            | {"to": "national"},
        ),
        Council.Resolved: Contract(
            "council-resolved",
            example={**FED, "council": "hd-tdkt-ldld-bk-2026", "year": 2026}
            | {"results": [RESULT | {"members": 9, "threshold": 0.5, "passed": True}]},
        ),
        Decision.Issued: Contract(
            "decision-issued",
            optional=("period", "signer_title", "signing_for"),
            example={**FED, "authority": "ldld:bac-kan", "number": "125/QĐ-LĐLĐ", "signed_on": "2026-12-01"}
            | {"signer": "Lý Văn Hùng", "signer_title": "PHÓ CHỦ TỊCH", "signing_for": "KT. CHỦ TỊCH"}
            | {"year": 2026, "title": "Khen thưởng thành tích năm học 2025-2026"}
            | {"period": SCHOOL_YEAR, "grants": [GRANT | {"grant_id": GRANT_ID}]},
        ),
        Grant.Granted: Contract(
            "award-granted",
            enums={**KIND, "source": ("decision", "import"), "occasion": get_args(Occasion)},
            formats={**NOMINATION_ID, "decision_id": "uuid"},
            optional=("attempt", "period"),
            example={**AT, **AN, **BANG_KHEN, "year": 2026, "period": SCHOOL_YEAR, **DECISION}
            | {"decision_id": "6a1f0e3b-94c2-5d7a-8b1e-0c5d3f2a4e96", "decision_date": "2026-12-01"}
            | {"authority": "ldld:bac-kan", "source": "decision", "nomination": NOMINATION}
            | {"bonus_coefficient": 1.5, "occasion": "regular", "attempt": 0},
        ),
        Grant.Revoked: Contract(
            "award-revoked",
            enums=KIND,
            example={
                **FED,
                "unit": "cdcs-thpt-cho-don",
                **AN,
                **BANG_KHEN,
                "year": 2026,
                "decision_number": "125/QĐ-LĐLĐ",
            }
            | {"reason": "Kê khai thành tích không trung thực", "reference": "18/QĐ-LĐLĐ"}
            | {"revoked_on": "2027-01-05"},
        ),
        Decision.Amended: Contract(
            "decision-amended",
            example={**FED, "number": "125/QĐ-LĐLĐ", "on": "2026-12-06"}
            | {"added": [GRANT | {"grant_id": GRANT_ID}], "removed": ["5c2d8e71-0f4a-5b39-a6d2-9e1b7c3f4a58"]}
            | {"corrected": [{"grant_id": GRANT_ID, "subject_name": "Hoàng Thị Mai"}]}
            | {"reason": "Bổ sung theo Tờ trình số 45/TTr-LĐLĐ; đính chính họ tên"},
        ),
        Decision.Cancelled: Contract(
            "decision-cancelled",
            example={**FED, "number": "125/QĐ-LĐLĐ", "reason": "Ban hành sai thẩm quyền"}
            | {"cancelled_on": "2026-12-06", "grants": [GRANT_ID]},
        ),
        Grant.Cancelled: Contract(
            "grant-cancelled",
            enums={**KIND, "by": ("amendment", "cancellation")},
            formats={**NOMINATION_ID, "decision_id": "uuid"},
            example={**AT, **AN, **BANG_KHEN, "year": 2026, "decision_number": "125/QĐ-LĐLĐ"}
            | {"decision_id": "6a1f0e3b-94c2-5d7a-8b1e-0c5d3f2a4e96", "nomination": NOMINATION}
            | {"reason": "Ban hành sai thẩm quyền", "cancelled_on": "2026-12-06", "by": "cancellation"},
        ),
        Grant.Corrected: Contract(
            "grant-corrected",
            enums=KIND,
            example={**AT, **WHO, "award": "bang-khen-ldld", "year": 2026, "decision_number": "125/QĐ-LĐLĐ"}
            | {"subject_name": "Hoàng Thị Mai", "was": "Hoàng Thi Mai", "reason": "Đính chính họ tên"},
        ),
        Dossier.AttachmentAdded: Contract(
            "attachment-added",
            enums={"owner_kind": tuple(KINDS), "kind": tuple(k for ks in KINDS.values() for k in ks)}
            | {"media_type": tuple(EXTENSIONS)},
            formats={"owner": "uuid", "uploaded_at": "date-time"},
            example={**FED, "owner_kind": "nomination", "owner": NOMINATION}
            | {"unit_path": ["cdn-giao-duc", "cdcs-thpt-cho-don"], "kind": "achievement-report"}
            | {"sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 482133}
            | {"media_type": "application/pdf", "file_name": "Báo cáo thành tích - Hoàng Thị Mai.pdf"}
            | {"uploaded_by": "thu.bac-kan", "uploaded_at": "2026-11-20T09:15:02.123456+00:00"},
        ),
    },
)
