"""A command's context gives its events one `meta`: a list's rows share it (the fast JSON encoder
then checks it once a save), and a changed context (dataclasses.replace) has its own."""

from __future__ import annotations

import dataclasses

from shared.store.eventstore import Context


def test_given_a_context_then_its_meta_is_one_dict_read_as_often_as_asked() -> None:
    ctx = Context(actor="an", scope="bac-kan", request_id="r1", traceparent="00-ab-cd-01")
    assert ctx.meta is ctx.meta
    assert ctx.meta == {
        "actor": "an",
        "scope": "bac-kan",
        "request_id": "r1",
        "correlation_id": "",
        "causation_id": "",
        "traceparent": "00-ab-cd-01",
    }


def test_given_a_context_replaced_with_a_reason_then_its_meta_carries_it_and_the_first_does_not() -> None:
    ctx = Context(actor="an", scope="bac-kan")
    first = ctx.meta
    why = dataclasses.replace(ctx, reason="sửa lỗi chính tả")
    assert why.meta["reason"] == "sửa lỗi chính tả"
    assert "reason" not in first and "reason" not in ctx.meta
    assert why == dataclasses.replace(ctx, reason="sửa lỗi chính tả")  # equality is the fields'
