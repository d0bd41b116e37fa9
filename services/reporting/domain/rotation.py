"""Cao Bằng's complaint (docs/domain.md section 8): a block's Cờ thi đua "rotating" among its
units instead of going to the best. Pure logic over who received it each year and how the units scored."""

from __future__ import annotations

from typing import Any


def rotation_verdict(
    units: list[str], recipients: dict[int, list[str]], top_scorers: dict[int, list[str]]
) -> dict[str, Any]:
    """`strict_rotation`: for at least three consecutive years each recipient differs from
    those of the previous len(units) - 1 years, so every unit simply takes its turn."""
    years = sorted(y for y, r in recipients.items() if r)
    window = max(1, len(units) - 1)
    longest = run = 0
    for i, year in enumerate(years):
        if i == 0 or years[i - 1] != year - 1:
            run = 1
        else:
            recent = {u for y in years[i - run : i][-window:] for u in recipients[y]}
            run = 1 if set(recipients[year]) & recent else run + 1
        longest = max(longest, run)
    passed_over = [y for y in years if top_scorers.get(y) and not set(recipients[y]) & set(top_scorers[y])]
    return {
        "strict_rotation": longest >= 3 and len(units) >= 2,
        "longest_rotation_years": longest,
        "years_not_to_top_scorer": passed_over,
    }
