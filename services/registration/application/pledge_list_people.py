"""A pledge list that registers the people it names who are not members yet
(`pledges:batch?new_members=register`): a row whose member code is unknown, with the person's
name (`subject_name`) and unit (`unit`; `birth_year` too if known), registers the member first
(`member-registered`, checked as `POST …/members` checks it), then the pledge, both stored with
the list. A row whose pledge is refused registers nobody. Without the option an unknown code is
refused, as before."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from services.registration.application import commands as c
from services.registration.application.organisation import new_member
from services.registration.application.reads import current
from services.registration.application.tree import Tree
from services.registration.domain.members import Member
from shared.kernel.errors import FieldError, Invalid
from shared.store.eventstore import Context

# The row's fields that describe a new person, not the pledge.
PERSON_FIELDS = ("unit", "birth_year")
# RegisterMember's fields as the pledge list names them.
AS_ROW = {"code": "subject_code", "full_name": "subject_name"}


def person_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Take the new-person fields out of a row's fields (the pledge's check refuses others)."""
    return {k: fields.pop(k) for k in PERSON_FIELDS if k in fields}


def register_if_new(
    tree: Tree, ctx: Context, federation: str, code: str, name: Any, person: dict[str, Any]
) -> Member | None:
    """The member this row registers; None if `code` is a member already (the row pledges for
    it as it is, its name checked against the registered one)."""
    known = tree.resolve(Member, federation, code)
    if known is not None:
        if "unit" in person and person["unit"] != known.unit:  # a new person's unit, given again
            raise Invalid.on("unit", f"'{code}' is a member of unit '{known.unit}' already")
        return None
    if not name:
        raise Invalid.on("subject_name", f"'{code}' is not a member yet: give the person's full name")
    if "unit" not in person:
        raise Invalid.on("unit", f"'{code}' is not a member yet: give the code of the unit they belong to")
    try:
        cmd = c.RegisterMember.model_validate({"code": code, "full_name": name, **person})
    except ValidationError as exc:
        errors = [FieldError(AS_ROW.get(str(e["loc"][0]), str(e["loc"][0])), e["msg"]) for e in exc.errors()]
        raise Invalid("the new member's details are not valid", errors) from None
    member = new_member(tree, ctx, federation, cmd)
    _known(federation, member)
    return member


def forget(federation: str, member: Member) -> None:
    """The row was refused: its new member is not registered (a later row may register it)."""
    reads = current()
    if reads is not None:
        reads.members.pop((federation, member.code), None)
        reads.aggregates.pop(member.id, None)


def _known(federation: str, member: Member) -> None:
    """The later rows and the pledge's own check find the member as if it were stored."""
    reads = current()
    if reads is not None:
        reads.members[(federation, member.code)] = member
        reads.aggregates[member.id] = member
