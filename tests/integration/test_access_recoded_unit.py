"""Issue 18: a unit's code changes and the unit goes on, so the people assigned to it keep their
access: a token under the assignment is scoped to the unit under its new code."""

from __future__ import annotations

import jwt

from tests.integration.access_stack import Stack, access_stack
from tests.integration.test_access_grants import LAN, _post, given_a_clerk_granted_by_a_federation_admin
from tests.support import Isolation

FED = "/v1/federations/bac-kan"


async def recoded(stack: Stack, an: dict) -> None:
    """cdcs-a's code changed to cdcs-a-2025 on 01/01/2025."""
    body = {
        "code": "cdcs-a-2025",
        "effective_on": "2025-01-01",
        "reason": "Đánh số lại theo Quyết định 12/QĐ",
    }
    await _post(stack.reg, FED + "/units/cdcs-a:recode", body, an)


async def test_a_clerk_of_a_recoded_unit_signs_in_to_the_unit_under_its_new_code(
    isolation: Isolation,
) -> None:
    async with access_stack(isolation) as stack:
        given = await given_a_clerk_granted_by_a_federation_admin(stack)
        await recoded(stack, given["an"])
        # When Lan, the clerk of cdcs-a, signs in
        answer = await stack.sign_in("lan", LAN)
        # Then her token is scoped to the unit under its new code, and reaches it
        claims = jwt.decode(answer["access_token"], options={"verify_signature": False})
        assert claims["scope"] == "bac-kan/tp-1/cdcs-a-2025"
        lan = {"Authorization": f"Bearer {answer['access_token']}"}
        assert (await stack.reg.get(FED + "/units/cdcs-a-2025", headers=lan)).status_code == 200
