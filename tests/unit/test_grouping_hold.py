"""A group waits a moment for as many commands as the last group had (shared.store.group_commit), and
never for a lone request whose last group was itself alone."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from shared.store.group_commit import Grouped


def grouped(seen: list[list[int]], hold: float) -> Grouped[int, int]:
    def run(items: Sequence[int]) -> list[int | Exception]:
        seen.append(list(items))
        return [i * 10 for i in items]

    return Grouped(run, hold=hold)


async def test_a_group_fills_up_to_the_size_of_the_last_one() -> None:
    seen: list[list[int]] = []
    g = grouped(seen, hold=60)
    assert await asyncio.gather(*(g.submit(i) for i in (1, 2, 3))) == [10, 20, 30]
    first = asyncio.ensure_future(g.submit(4))
    for _ in range(20):  # the group is held: it runs only once three commands are there
        await asyncio.sleep(0)
    assert seen == [[1, 2, 3]] and not first.done()
    rest = [asyncio.ensure_future(g.submit(i)) for i in (5, 6)]
    assert await asyncio.wait_for(asyncio.gather(first, *rest), 30) == [40, 50, 60]
    assert seen == [[1, 2, 3], [4, 5, 6]]


async def test_a_lone_request_does_not_wait() -> None:
    seen: list[list[int]] = []
    g = grouped(seen, hold=60)
    assert await asyncio.wait_for(g.submit(1), 30) == 10
    assert await asyncio.wait_for(g.submit(2), 30) == 20
    assert seen == [[1], [2]]


async def test_a_held_group_runs_when_the_moment_is_over() -> None:
    seen: list[list[int]] = []
    g = grouped(seen, hold=0.001)
    assert await asyncio.gather(g.submit(1), g.submit(2)) == [10, 20]
    assert await asyncio.wait_for(g.submit(3), 30) == 30
    assert seen == [[1, 2], [3]]
