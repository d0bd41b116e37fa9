"""The members awards reads of many subjects at once (one query for all their units): a unit's
whole subtree and a member's own unit, each by code, only those counting on the day asked, and
none at all for a caller that reads none."""

from __future__ import annotations

from datetime import date

from tests.integration.awards_http import registration
from tests.integration.test_awards_effective import LEFT, awards, member
from tests.support import Isolation

KEYS = [("unit", "tp"), ("unit", "cdcs-a"), ("unit", "cdcs-b"), ("member", "dv-3"), ("member", "dv-9")]


async def test_each_subject_s_members_by_code_in_one_read(isolation: Isolation) -> None:
    async with awards(isolation) as given:
        await given.handle(
            member("dv-9", "cdcs-b", ["tp", "cdcs-b"]), member("dv-10", "cdcs-b", ["tp", "cdcs-b"])
        )
        found = await given.facts.outsides("bac-kan", KEYS)
        assert found[("unit", "tp")].members == ("dv-0", "dv-1", "dv-10", "dv-2", "dv-3", "dv-9")
        assert found[("unit", "cdcs-a")].members == ("dv-0", "dv-1", "dv-2", "dv-3")
        assert found[("unit", "cdcs-b")].members == ("dv-10", "dv-9")
        assert found[("member", "dv-3")].members == ("dv-0", "dv-1", "dv-2", "dv-3")  # its unit's
        assert found[("member", "dv-9")].members == ("dv-10", "dv-9")


async def test_only_members_counting_on_the_day(isolation: Isolation) -> None:
    async with awards(isolation) as given:
        left = {"code": "dv-2", **LEFT, "effective_on": "2025-07-01"}
        await given.handle(registration("member-left", left, 2))
        before = await given.facts.outsides("bac-kan", KEYS[:2], date(2024, 12, 31))
        after = await given.facts.outsides("bac-kan", KEYS[:2], date(2025, 12, 31))
        assert before[("unit", "cdcs-a")].members == ("dv-0", "dv-1", "dv-2", "dv-3")
        assert after[("unit", "cdcs-a")].members == after[("unit", "tp")].members == ("dv-0", "dv-1", "dv-3")


async def test_none_for_a_caller_that_reads_none(isolation: Isolation) -> None:
    async with awards(isolation) as given:
        found = await given.facts.outsides("bac-kan", KEYS, members=False)
        everything = await given.facts.outsides("bac-kan", KEYS)
        assert set(found) == set(everything) == set(KEYS) - {("member", "dv-9")}
        assert all(o.members == () for o in found.values())
        for key, outside in found.items():  # all else the same
            assert outside == type(outside)(**{**vars(everything[key]), "members": ()})
