"""The console's access pages (issue 15): every action of the permission table has Vietnamese
words on the "who could" page, its question is read from the form with each error on its field,
a national grant goes where registration takes it, and a service account is invited without an
e-mail."""

from __future__ import annotations

from datetime import date

from services.console.application import national_people, people, who_could
from services.console.application.problems import FormErrors
from shared.auth.permissions import PERMISSIONS

TODAY = date(2026, 3, 15)


def test_every_action_has_its_vietnamese_words() -> None:
    assert set(who_could.ACTION_LABELS) == set(PERMISSIONS)


def test_the_question_reads_a_day_in_dd_mm_yyyy() -> None:
    errors = FormErrors()
    question = who_could.read({"action": "decision.issue", "on": "15/03/2024", "unit": ""}, TODAY, errors)
    assert not errors and question == who_could.Question("decision.issue", date(2024, 3, 15), None)
    assert who_could.params(question) == {"action": "decision.issue", "on": "2024-03-15"}


def test_a_question_not_yet_asked_is_none_without_errors() -> None:
    errors = FormErrors()
    assert who_could.read({"action": "", "on": "", "unit": "cdcs-a"}, TODAY, errors) is None
    assert not errors


def test_each_wrong_answer_is_named_on_its_field() -> None:
    errors = FormErrors()
    assert who_could.read({"action": "drop.tables", "on": "31/02/2024"}, TODAY, errors) is None
    assert [f.field for f in errors.fields] == ["action", "on"]
    later = FormErrors()
    who_could.read({"action": "read", "on": "16/03/2026"}, TODAY, later)
    assert [f.field for f in later.fields] == ["on"]


def test_the_holders_name_the_place_and_who_granted_it() -> None:
    body = {
        "roles": ["admin", "approver"],
        "holders": [
            {
                "person": {"id": "p", "name": "Lục Văn Duyệt", "email": None},
                "assignment": {
                    "id": "a",
                    "role": "approver",
                    "federation": "bac-kan",
                    "unit": "cdcs-a",
                    "valid_from": "2024-01-02",
                    "granted_at": "2024-01-02T01:00:00+00:00",
                    "reason": "QĐ 7",
                    "revoked_at": None,
                },
                "granted_by": {"id": "g", "name": "Hoàng Thị Quản"},
                "revoked_by": None,
            }
        ],
    }
    (row,) = who_could.holders(body, {"cdcs-a": "CĐCS A"}, {"bac-kan": "LĐLĐ tỉnh Bắc Kạn"})
    assert (row.role_label, row.place, row.granted_by, row.reason) == (
        "Lãnh đạo phê duyệt",
        "CĐCS A",
        "Hoàng Thị Quản",
        "QĐ 7",
    )
    assert row.granted_at == "02/01/2024 08:00" and row.until == ""
    assert who_could.roles_of(body) == ["Quản trị", "Lãnh đạo phê duyệt"]


def test_a_national_grant_goes_nationally_or_to_the_federation_chosen() -> None:
    values = {"role": "admin", "federation": "", "valid_from": "", "reason": "QĐ 3"}
    path, body = national_people.grant("p", values, TODAY, {"bac-kan": "Bắc Kạn"}, FormErrors())
    assert path == "/v1/access/assignments" and "unit" not in body
    path, _ = national_people.grant(
        "p", {**values, "federation": "bac-kan"}, TODAY, {"bac-kan": "x"}, FormErrors()
    )
    assert path == "/v1/federations/bac-kan/access/assignments"
    errors = FormErrors()
    national_people.grant("p", {**values, "federation": "khong-co"}, TODAY, {"bac-kan": "x"}, errors)
    assert [f.field for f in errors.fields] == ["federation"]


def test_a_service_account_is_invited_without_an_email() -> None:
    errors = FormErrors()
    body = people.invite_body({"name": "Cổng dịch vụ", "email": "", "unit": "", "kind": "service"}, errors)
    assert not errors and body == {"name": "Cổng dịch vụ", "kind": "service"}
    person = FormErrors()
    people.invite_body({"name": "Lan", "email": "", "unit": "", "kind": "person"}, person)
    assert [f.field for f in person.fields] == ["email"]
