"""Optional py-spy profiles of each product path (`--py-spy DIR`): the service process doing the
work, and this process for the paths that run here (relay, rebuild). py-spy is a dev extra.

`python -m bench.profiling DIR` prints, for every profile, where the samples fall."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class Profiler:
    def __init__(self, directory: str | None) -> None:
        self.directory = Path(directory) if directory else None
        self.exe = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")

    async def around(self, name: str, pids: list[int | None], work: Awaitable[T]) -> T:
        if self.directory is None:
            return await work
        self.directory.mkdir(parents=True, exist_ok=True)
        spies = []
        for pid in pids:
            target = pid or os.getpid()
            who = "bench" if pid is None else str(pid)
            spies.append(
                subprocess.Popen(
                    [
                        self.exe,
                        "record",
                        "--pid",
                        str(target),
                        "--format",
                        "raw",
                        "--rate",
                        os.environ.get("BENCH_PY_SPY_RATE", "100"),
                        "--nonblocking",
                        "--output",
                        str(self.directory / f"{name}.{who}.txt"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        try:
            return await work
        finally:
            for spy in spies:
                spy.send_signal(signal.SIGINT)
                try:
                    spy.wait(30)
                except subprocess.TimeoutExpired:
                    spy.kill()
                    spy.wait()


FRAME = re.compile(r"^(?P<fn>.*?) \((?P<file>[^:()]*)(?::\d+)?\)$")
MARKERS = ("/shared/", "/services/", "/bench/", "site-packages/")


def _short(frame: str) -> str:
    m = FRAME.match(frame)
    if not m:
        return frame
    path = m["file"]
    for marker in MARKERS:
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{m['fn']} ({path})"


def summary(path: Path, top: int = 25) -> str:
    """Inclusive share of samples per function (each function counted once per stack)."""
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_short(f) for f in stack.split(";")]
        for f in set(frames):
            inclusive[f] += n
        leaf[frames[-1]] += n
    lines = [f"== {path.name}: {total} samples"]
    lines += [f"{100 * n / total:5.1f}%  {f}" for f, n in inclusive.most_common(top)] if total else []
    lines.append("-- self time")
    lines += [f"{100 * n / total:5.1f}%  {f}" for f, n in leaf.most_common(12)] if total else []
    return "\n".join(lines)


if __name__ == "__main__":
    for p in sorted(Path(sys.argv[1]).glob("*.txt")):
        print(summary(p, int(sys.argv[2]) if len(sys.argv) > 2 else 25))
