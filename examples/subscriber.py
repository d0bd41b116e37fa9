"""An outside system following one federation's events: the feed first, then the bus.

    python examples/subscriber.py --service http://127.0.0.1:8001 --federation bac-kan \\
        --amqp amqp://guest:guest@127.0.0.1:5672/ --name hrm --checkpoint hrm.json

1. It subscribes (POST /v1/federations/{federation}/subscriptions, idempotent): from then on
   the broker keeps every new event of the federation in its durable queue, also while this
   program is down.
2. It catches up from its checkpoint through the feed (GET …/events?after=<sequence>) up to
   the head: everything stored before the queue existed, or while it was away.
3. It consumes the queue. An event at or below the checkpoint was already seen through the
   feed (or is a republication): acknowledged and skipped. Order is the relay's publish order.

Each event is printed as one JSON line (and appended to --out) before the checkpoint moves
past it and before it is acknowledged, so a crash repeats at most the last event, never skips
one. The token (--token or TDKT_TOKEN) needs a role that may read the feed and manage
subscriptions in that federation (`tdkt token --scope bac-kan --roles admin`)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

import aio_pika
import httpx


class Subscriber:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.headers = {"Authorization": f"Bearer {args.token}"}
        self.checkpoint = Path(args.checkpoint)
        self.after = json.loads(self.checkpoint.read_text())["after"] if self.checkpoint.exists() else 0
        self.out = Path(args.out) if args.out else None
        self.stopping = asyncio.Event()

    def emit(self, envelope: dict[str, Any]) -> None:
        line = json.dumps(envelope, ensure_ascii=False)
        print(line, flush=True)
        if self.out is not None:
            with self.out.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        self.save(int(envelope["sequence"]))

    def save(self, after: int) -> None:
        self.after = after
        temporary = self.checkpoint.with_suffix(".tmp")
        temporary.write_text(json.dumps({"after": after}))
        temporary.replace(self.checkpoint)  # atomic: the checkpoint is never half written

    async def subscribe(self, http: httpx.AsyncClient) -> str:
        body = {"name": self.args.name, "event_types": self.args.event_type or []}
        url = f"{self.args.service}/v1/federations/{self.args.federation}/subscriptions"
        r = await http.post(url, json=body, headers=self.headers)
        r.raise_for_status()
        return str(r.json()["queue"])

    async def catch_up(self, http: httpx.AsyncClient) -> None:
        url = f"{self.args.service}/v1/federations/{self.args.federation}/events"
        while not self.stopping.is_set():
            cursor = self.after
            r = await http.get(url, params={"after": cursor, "limit": 500}, headers=self.headers)
            r.raise_for_status()
            page = r.json()
            for envelope in page["events"]:
                if int(envelope["sequence"]) > self.after:
                    self.emit(envelope)
            # The feed scanned up to next_after (other federations' events included): resume there.
            if page["next_after"] > self.after:
                self.save(int(page["next_after"]))
            if page["next_after"] >= page["head"] or page["next_after"] == cursor:
                return

    async def follow(self, queue_name: str) -> None:
        connection = await aio_pika.connect_robust(self.args.amqp)
        async with connection:
            channel = await connection.channel()
            await channel.set_qos(prefetch_count=100)
            queue = await channel.declare_queue(queue_name, passive=True)
            async with queue.iterator() as messages:
                stop = asyncio.ensure_future(self.stopping.wait())
                while not self.stopping.is_set():
                    nxt = asyncio.ensure_future(messages.__anext__())
                    done, _ = await asyncio.wait({nxt, stop}, return_when=asyncio.FIRST_COMPLETED)
                    if nxt not in done:
                        nxt.cancel()
                        break
                    message = nxt.result()
                    envelope = json.loads(message.body)
                    if int(envelope["sequence"]) > self.after:
                        self.emit(envelope)
                    await message.ack()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.stopping.set)
        async with httpx.AsyncClient(timeout=30) as http:
            queue = await self.subscribe(http)
            await self.catch_up(http)
        print(f"caught up at sequence {self.after}; following {queue}", file=sys.stderr, flush=True)
        await self.follow(queue)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--service", default="http://127.0.0.1:8001", help="base URL of the publishing service"
    )
    parser.add_argument("--federation", required=True)
    parser.add_argument(
        "--amqp", default=os.environ.get("TDKT_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    )
    parser.add_argument("--token", default=os.environ.get("TDKT_TOKEN"))
    parser.add_argument("--name", default="example", help="the subscription's name")
    parser.add_argument("--event-type", action="append", help="only these events (repeatable)")
    parser.add_argument("--checkpoint", default="subscriber-checkpoint.json")
    parser.add_argument("--out", help="also append every event as a JSON line to this file")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("a token is needed: --token or TDKT_TOKEN")
    asyncio.run(Subscriber(args).run())


if __name__ == "__main__":
    main()
