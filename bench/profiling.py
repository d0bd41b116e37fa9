"""Optional py-spy profiles of a path (`--py-spy DIR`): the service process doing the work, or
this process for the paths that run here (relay, rebuild). py-spy is a dev extra."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class Profiler:
    def __init__(self, directory: str | None) -> None:
        self.directory = Path(directory) if directory else None
        self.exe = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")

    async def around(self, name: str, pid: int | None, work: Awaitable[T]) -> T:
        if self.directory is None:
            return await work
        self.directory.mkdir(parents=True, exist_ok=True)
        out = self.directory / f"{name}.txt"
        spy = subprocess.Popen(
            [
                self.exe,
                "record",
                "--pid",
                str(pid or os.getpid()),
                "--format",
                "raw",
                "--rate",
                "200",
                "--nonblocking",
                "--output",
                str(out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            return await work
        finally:
            spy.send_signal(signal.SIGINT)
            try:
                spy.wait(30)
            except subprocess.TimeoutExpired:
                spy.kill()
                spy.wait()
