"""A list in the default mode is stored in one transaction: when its last row clashes with a
concurrent writer, nothing of the 2,100 rows is stored (no pledge, no idempotency record), the writer's
pledge is, and the sealed log still verifies."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from services.registration.application import bulk
from services.registration.application import commands as c
from services.registration.application.service import RegistrationApplication
from services.registration.application.tree import Tree
from services.registration.domain.pledges import Pledge
from shared.kernel.errors import Conflict
from shared.kernel.ids import stable_id
from shared.kernel.settings import RegistrationSettings
from shared.store.audit.verification import verify
from shared.store.eventstore import Context, IdempotencyRecord
from tests.integration.test_registration_batch import seed_tree
from tests.support import Isolation


async def test_a_clash_in_the_last_row_leaves_nothing_of_the_list(
    isolation: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = isolation.settings(RegistrationSettings)

    def run() -> None:
        app = RegistrationApplication(settings)
        writer = RegistrationApplication(settings)  # another process registering the same pledge
        try:
            seed_tree(app)
            for i in range(306, 2101):  # more than the 2,000 pledges per transaction of old
                app.register_member(
                    Context(actor="seed", scope="*"),
                    "bac-kan",
                    c.RegisterMember(
                        code=f"dv-{i:04}", full_name=f"Trần Thị {i}", unit=f"cdcs-{i % 100 + 1:03}"
                    ),
                )
            rows: list[tuple[int, dict[str, Any]]] = [
                (
                    i,
                    {
                        "movement": "td-2023",
                        "award": "bang-khen-ldld",
                        "subject_kind": "member",
                        "subject_code": f"dv-{i:03}" if i < 306 else f"dv-{i:04}",
                        "pledged_on": "2023-02-15",
                    },
                )
                for i in range(1, 2101)
            ]
            last = rows[-1][1]
            prepare = bulk.prepare_pledge

            def prepare_then_clash(
                tree: Tree, ctx: Context, federation: str, cmd: c.RegisterPledge
            ) -> Pledge:
                pledge = prepare(tree, ctx, federation, cmd)
                if cmd.subject_code == last["subject_code"]:  # checked; stored meanwhile by the writer
                    writer.register_pledge(
                        Context(actor="writer", scope="*"), federation, c.RegisterPledge.model_validate(last)
                    )
                return pledge

            monkeypatch.setattr(bulk, "prepare_pledge", prepare_then_clash)  # the list's check of each row
            head = app.recorder.max_notification_id()
            ctx = Context(actor="clerk", scope="*", idempotency_key="list-1", fingerprint="f")
            with pytest.raises(Conflict, match="nothing was stored"):
                app.register_pledges(ctx, "bac-kan", rows, "all-or-nothing")

            assert app.recorder.max_notification_id() == (head or 0) + 1  # the writer's pledge only
            stored = [
                app.find(
                    Pledge, Pledge.id_for("bac-kan", "td-2023", "member", row["subject_code"], row["award"])
                )
                for _, row in rows
            ]
            assert [p is not None for p in stored] == [False] * 2099 + [True]
            assert app.find(IdempotencyRecord, stable_id("idempotency", "clerk", "list-1")) is None
            table = app.recorder.events_table_name  # type: ignore[attr-defined]
        finally:
            app.close()
            writer.close()
        verdict = verify(settings.database_url, settings.schema_name, table)
        assert verdict.ok, verdict

    await asyncio.wait_for(asyncio.to_thread(run), timeout=240)
