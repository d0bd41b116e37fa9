"""What the default rule sets of both laws (`rules_law_2003`, `rules_law_2022`) are written from:
a law's names, dates and version, and the rules both laws state alike, each citing its own law."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.awards.domain.rule_parts import (
    BLOCK_LEADER,
    CSTD_NATION,
    CSTD_PROVINCE,
    LDTT,
    holds_lower_class,
)
from services.awards.domain.rules import Clause


@dataclass(frozen=True)
class Law:
    """A law as its rule sets cite it: its name and decree, their version and first day."""

    name: str
    decree: str
    version: str
    since: str

    def rule(
        self,
        award: str,
        source: str,
        clauses: list[Clause],
        version: str | None = None,
        since: str | None = None,
    ) -> dict[str, Any]:
        return {
            "award": award,
            "version": version or self.version,
            "effective_from": since or self.since,
            "source": source,
            "clauses": clauses,
        }

    def alike(self) -> dict[str, dict[str, Any]]:
        """The rules both laws state alike, by award: only the law cited, version and date differ."""
        law, decree = self.name, self.decree
        rules = (
            self.rule("ldtt", f"{law}, Điều 24; {decree}", LDTT),
            self.rule("co-thi-dua-ldld", f"{law}, Điều 26; {decree}", BLOCK_LEADER),
            *(
                self.rule(
                    f"huan-chuong-lao-dong-{n}",
                    f"{law}, Huân chương Lao động hạng {c}",
                    holds_lower_class(lower),
                )
                for n, c, lower in (
                    (2, "Nhì", "huan-chuong-lao-dong-3"),
                    (1, "Nhất", "huan-chuong-lao-dong-2"),
                )
            ),
            self.rule("cstd-cap-tinh", f"{law}, Điều 22", CSTD_PROVINCE),
            self.rule("cstd-toan-quoc", f"{law}, Điều 21", CSTD_NATION),
            # Criteria left to the granting authority's or the council's judgement: general clauses only.
            self.rule("giay-khen", f"{law}, Giấy khen: do người đứng đầu đơn vị xét", []),
            self.rule("anh-hung-lao-dong", f"{law}, Anh hùng Lao động: do Hội đồng xét", []),
        )
        return {r["award"]: r for r in rules}
