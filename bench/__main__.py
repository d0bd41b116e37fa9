"""`python -m bench [--scale nation]`: see bench/run.py and the README's Benchmark section."""

from __future__ import annotations

import argparse
import asyncio
import logging

from bench.run import Run


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=["quick", "nation"], default="quick")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--members", type=int, default=10_000, help="members of the quick federation")
    parser.add_argument("--rated", type=int, default=1_500, help="members with ten years of ratings")
    parser.add_argument("--single", type=int, default=2_000, help="pledges sent one per request")
    parser.add_argument("--bulk-rows", type=int, default=10_000, help="rows per pledges:batch file")
    parser.add_argument("--e2e-seconds", type=float, default=10, help="seconds of 100 commands/s")
    parser.add_argument("--e2e-low-rate", type=float, default=20, help="commands/s of the second e2e run")
    parser.add_argument("--reads", type=int, default=200, help="timed reads of each kind")
    parser.add_argument(
        "--nation-members",
        type=int,
        default=86_000,
        help="members of the 34 federations (about 1.04 million events)",
    )
    parser.add_argument("--console-n", type=int, default=20, help="timed requests of each console page")
    parser.add_argument(
        "--console-nominations", type=int, default=2_000, help="this year's nominations of the big federation"
    )
    parser.add_argument(
        "--console-only", action="store_true", help="with --scale nation: skip the quick profile's paths"
    )
    parser.add_argument(
        "--console-before",
        metavar="DIR",
        help="a checkout of earlier code (git worktree): its console and reporting run beside these, "
        "each page asked of both in turn, both figures in the table",
    )
    parser.add_argument(
        "--councils-only", action="store_true", help="only the council votes path (bench/councils.py)"
    )
    parser.add_argument(
        "--documents-only", action="store_true", help="only printing a big decision (bench/documents.py)"
    )
    parser.add_argument(
        "--award-lists-only",
        action="store_true",
        help="only ratings:batch and nominations:batch (bench/award_lists.py)",
    )
    parser.add_argument(
        "--lists-only",
        action="store_true",
        help="only the bulk lists' rounds beside pledges:batch on the seeded data set (bench/quick_lists.py)",
    )
    parser.add_argument("--py-spy", metavar="DIR", help="record a py-spy profile of each product path")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(Run(args).main())


if __name__ == "__main__":
    main()
