"""Text hygiene at the boundary: the field types of every command (shared.kernel.commands) refuse
control, bidirectional and zero-width characters, naming the field; codes are refused, not
trimmed; dates lie between 1945 and ten years ahead; the spreadsheet readers leave such cells
for their row to report; JSON too deeply nested is recognised before any parser recurses."""

from __future__ import annotations

import io
import random
import typing
from datetime import date, timedelta
from typing import Any

import pytest
from openpyxl import Workbook
from pydantic import BaseModel, ValidationError

from services.awards.adapters import sheets
from services.awards.application import commands as ac
from services.registration.adapters import pledge_sheet
from services.registration.application import activity_commands as rac
from services.registration.application import commands as rc
from shared.kernel import clock, commands, text
from shared.web.asgi import MAX_JSON_DEPTH, json_too_deep

UNSAFE_IN_NAMES = [
    "\x00",
    "\x01",
    "\x1b",
    "\x7f",
    "\x85",
    "\n",
    "\t",
    "\r",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\ud800",
]


def errors(model: type[BaseModel], body: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as exc:
        model.model_validate(body)
    return [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.value.errors()]


MEMBER = {"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "cdcs-a"}
PLEDGE = {"movement": "td-2023", "award": "ldtt", "subject_kind": "member", "subject_code": "dv-1"}


@pytest.mark.parametrize("char", UNSAFE_IN_NAMES, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("where", ["An{}Nguyen", "{}An", "An{}"])
def test_a_name_with_a_control_bidi_or_zero_width_character_is_refused_naming_the_field(
    char: str, where: str
) -> None:
    """Given a member's full name holding an unsafe character anywhere (also trailing, where a
    strip would have hidden it), when the command is validated, then full_name is refused."""
    found = errors(rc.RegisterMember, {**MEMBER, "full_name": where.format(char)})
    assert [f for f, _ in found] == ["full_name"]
    assert f"U+{ord(char):04X}" in found[0][1]


@pytest.mark.parametrize("char", UNSAFE_IN_NAMES, ids=lambda c: f"U+{ord(c):04X}")
def test_a_code_with_an_unsafe_character_is_refused(char: str) -> None:
    found = errors(rc.RegisterMember, {**MEMBER, "unit": f"cdcs{char}a"})
    assert [f for f, _ in found] == ["unit"]


@pytest.mark.parametrize("code", ["cdcs-a\n", "cdcs-a ", " cdcs-a", "cdcs-a\t", "cdcs a", "cdcs-a\r\n"])
def test_a_code_with_whitespace_is_refused_not_trimmed(code: str) -> None:
    found = errors(rc.RegisterUnit, {"code": code, "name": "A", "kind": "grassroots"})
    assert [f for f, _ in found] == ["code"]


def test_a_name_is_still_normalised_to_nfc_and_trimmed_of_spaces() -> None:
    decomposed = "Nguye\u0302\u0303n Va\u0306n An"  # what some keyboards send
    cmd = rc.RegisterMember.model_validate({**MEMBER, "full_name": f"  {decomposed} "})
    assert cmd.full_name == "Nguyễn Văn An"


def test_free_text_allows_line_breaks_and_tabs_but_no_other_control_or_bidi_character() -> None:
    ok = rc.PledgeDecision.model_validate({"reason": "Thiếu xác nhận\n\tcủa thủ trưởng"})
    assert ok.reason == "Thiếu xác nhận\n\tcủa thủ trưởng"
    for char in ("\x00", "\x1b", "\x85", "\u202e", "\u2066", "\u200b", "\ufeff"):
        found = errors(rc.PledgeDecision, {"reason": f"Thiếu{char}"})
        assert [f for f, _ in found] == ["reason"], char


def test_every_text_field_of_every_command_is_guarded() -> None:
    """No command field is a bare `str` or `date` that skips the shared types' checks."""
    bare: list[str] = []
    guarded = commands.GUARDS

    def walk(where: str, hint: Any) -> None:
        if hint == commands.Code:  # its pattern admits no unsafe character, nothing trimmed
            return
        if typing.get_origin(hint) is typing.Annotated:
            if any(getattr(m, "func", None) in guarded for m in hint.__metadata__):
                return
            walk(where, typing.get_args(hint)[0])
        elif typing.get_origin(hint) is typing.Literal:
            return
        elif hint in (str, date):
            bare.append(where)
        else:
            for arg in typing.get_args(hint):
                walk(where, arg)

    models = [
        m
        for module in (rc, rac, ac)
        for m in vars(module).values()
        if isinstance(m, type) and issubclass(m, commands.Command) and m is not commands.Command
    ]
    assert len(models) > 40
    for model in models:
        for name, hint in typing.get_type_hints(model, include_extras=True).items():
            if name in model.model_fields:
                walk(f"{model.__name__}.{name}", hint)
    assert bare == []


@pytest.mark.parametrize(
    ("model", "body", "field"),
    [
        (ac.CouncilMember, {"user": "lan\x00", "name": "Lan"}, "user"),
        (ac.CastVote, {"nomination": "n\x00", "choice": "yes"}, "nomination"),
        (ac.GrantLine, {"nomination": "\u202en"}, "nomination"),
        (
            ac.PublishRuleSet,
            {
                "award": "ldtt",
                "rule_version": "1",
                "effective_from": "2024-01-01",
                "clauses": [{"kind": "rating", "award": "a\x00"}],
            },
            "clauses",
        ),
        (ac.SetPolicy, {"ratio_caps": {"ldtt\x00": 0.5}}, "ratio_caps"),
    ],
)
def test_awards_free_form_fields_are_guarded_too(model: type[BaseModel], body: dict, field: str) -> None:
    assert [f.split(".")[0] for f, _ in errors(model, body)] == [field]


def test_a_date_before_1945_or_more_than_ten_years_ahead_is_refused_naming_the_field() -> None:
    today = clock.today()
    horizon = date(today.year + 10, today.month, min(today.day, 28))
    for pledged_on in ("0001-01-01", "1944-12-31", "9999-12-31", (horizon + timedelta(days=31)).isoformat()):
        found = errors(rc.RegisterPledge, {**PLEDGE, "pledged_on": pledged_on})
        assert [f for f, _ in found] == ["pledged_on"], pledged_on
    for ok in ("1945-01-01", horizon.isoformat()):
        assert rc.RegisterPledge.model_validate(
            {**PLEDGE, "pledged_on": ok}
        ).pledged_on == date.fromisoformat(ok)
    assert [f for f, _ in errors(rc.MoveUnit, {"effective_on": "9999-12-31"})] == ["effective_on"]
    found = errors(ac.SetPolicy, {"holidays": ["2024-09-02", "0001-01-01"]})
    assert [f for f, _ in found] == ["holidays.1"]


def test_the_date_horizon_follows_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2050, 6, 1))
    assert rc.MoveUnit.model_validate({"effective_on": "2060-05-31"}).effective_on == date(2060, 5, 31)
    assert [f for f, _ in errors(rc.MoveUnit, {"effective_on": "2060-06-02"})] == ["effective_on"]


def test_unsafe_names_what_is_wrong_and_where() -> None:
    assert text.unsafe("Nguyễn Văn An") is None
    assert text.unsafe("a\nb", lines=True) is None
    assert "U+0000" in (text.unsafe("a\x00b") or "")
    assert "U+000A" in (text.unsafe("a\nb") or "")
    assert "U+202E" in (text.unsafe("a\u202eb", lines=True) or "")


def xlsx(header: list[str], *rows: list[Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_pledge_sheet_keeps_an_unsafe_cell_as_it_is_for_its_row_to_report() -> None:
    """Given cells with a trailing line break (Alt+Enter) and a zero-width space, when the
    sheet is read, then they are not trimmed into valid codes: the row's check refuses them."""
    header = [h for _, h in pledge_sheet.COLUMNS]
    content = xlsx(
        header,
        [1, "td-2023", "ldtt", "Cá nhân", "dv-1\n", "An", "", "", "01/02/2023"],
        [2, " td-2023 ", "ldtt", "Cá nhân", "dv-2", "An", "", "Đợt\u200b1", "01/02/2023"],
    )
    (_, first), (_, second) = pledge_sheet.read_rows(content)
    assert first["subject_code"] == "dv-1\n" and second["movement"] == "td-2023"
    fields = {k: v for k, v in first.items() if k != "subject_name"}
    assert [f for f, _ in errors(rc.RegisterPledge, fields)] == ["subject_code"]
    fields = {k: v for k, v in second.items() if k != "subject_name"}
    assert [f for f, _ in errors(rc.RegisterPledge, fields)] == ["phase"]


def test_an_awards_sheet_keeps_an_unsafe_cell_for_its_row_to_report() -> None:
    """`_x0000_` is how Excel writes a NUL in a cell."""
    rows = [["member", "dv-1", 2025, "good"], ["member", "dv_x0000_2", 2025, "good"]]
    content = xlsx(list(sheets.RATINGS.columns), *rows)
    rows = sheets.read_rows(sheets.RATINGS, content)
    assert [f for f, _ in errors(ac.RecordRatings, {"ratings": rows})] == ["ratings.1.subject_code"]


def test_json_nesting_is_measured_outside_strings() -> None:
    def nested(depth: int) -> bytes:
        return b'{"a":' * depth + b"1" + b"}" * depth

    assert not json_too_deep(nested(MAX_JSON_DEPTH))
    assert json_too_deep(nested(MAX_JSON_DEPTH + 1))
    assert json_too_deep(b"[" * 990 + b"]" * 990)
    assert json_too_deep(b"[[]," * 200 + b"[" * 70 + b"]" * 70 + b"]" * 200)
    assert not json_too_deep(b'["' + b"[" * 500 + b'"]')  # brackets in a string are text
    assert not json_too_deep(b'["\\"' + b"[" * 500 + b'", "\\\\"]')
    assert not json_too_deep(b"[" + b"{}," * 20_000 + b"{}]")
    assert not json_too_deep(b"not json [[[[")


def test_an_upload_that_is_not_json_is_never_measured_as_json() -> None:
    """An .xlsx is compressed bytes, where brackets and quotes fall at random."""
    noise = random.Random(13).randbytes(2_000_000)
    assert not json_too_deep(b"PK" + noise)
    assert not json_too_deep(pledge_sheet.template())
    assert json_too_deep(b" \n\t" + b"[" * 65 + b"]" * 65)
