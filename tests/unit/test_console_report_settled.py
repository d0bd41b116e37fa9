"""The console tests' wait for a report (tests/console/report_data.settled): while reporting has
not projected a unit yet, its report is a problem (404), which is not the report awaited."""

from __future__ import annotations

from typing import Any

import httpx

from tests.console.report_data import settled


class Reporting:
    """Answers a not-found problem first, then the report."""

    def __init__(self) -> None:
        self.answers = [
            httpx.Response(404, json={"status": 404, "detail": "unit 'cd-dem-so' did not exist"}),
            httpx.Response(200, json={"workers": 200, "members": 193}),
        ]

    def get(self, service: str, path: str, **params: Any) -> httpx.Response:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def test_given_a_unit_not_projected_yet_when_waiting_for_its_report_then_the_report_comes() -> None:
    report = settled(Reporting(), "/reports/tree", lambda r: r["workers"] == 200, unit="cd-dem-so")  # type: ignore[arg-type]
    assert (report["workers"], report["members"]) == (200, 193)
