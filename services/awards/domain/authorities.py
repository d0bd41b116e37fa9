"""Who issues a decision, and which awards each issuer grants (docs/domain.md sections 2, 5, 6).

A decision's authority is one of
* `unit:<unit code>`: a grassroots or upper-level union of the federation (its own titles:
  the catalogue's authority "unit" — `ldtt`, `cstd-co-so`, `ttldtt`, `giay-khen`);
* `ldld:<federation>`: the federation (its own awards, authority "federation", and, as the
  union above every unit of its tree, the units' titles its units nominate to it: the
  yearly cycle of docs/domain.md section 5, where the federation's council and decision close
  the year for units that do not decide in the product);
* `tld`: the national union (its own awards, authority "national", on nominations forwarded
  to it). Awards of the state are never decided here: they are imported (grants:import)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.awards.domain.catalogue import Award
from services.awards.domain.councils import Council
from services.awards.domain.grants import Decision

NATIONAL = "tld"
# The federation national councils and decisions are stored under: never a federation's code
# (a code has at least one character), so they cannot meet a federation's own; and the
# federation of national events, published as `national.<service>.<event>`.
NATIONAL_KEY = ""
OWN_LEVELS = {"grassroots": "unit", "issuing-unit": "unit", "federation": "federation"}
GRANTED_BY = {"unit": "unit", "federation": "federation", "national": "national", "tld": "national"}
# Which of the catalogue's granting authorities each kind of issuer grants.
GRANTS: dict[str, frozenset[str]] = {
    "unit": frozenset({"unit"}),
    "ldld": frozenset({"unit", "federation"}),
    "tld": frozenset({"national"}),
}
PATTERN = r"^(tld|ldld:[a-z0-9][a-z0-9._-]{0,63}|unit:[a-z0-9][a-z0-9._-]{0,63})$"


@dataclass(frozen=True)
class Issuer:
    """An authority taken apart: its kind (`unit`, `ldld`, `tld`) and code (None for `tld`)."""

    kind: str
    code: str | None

    @staticmethod
    def of(authority: str) -> Issuer:
        kind, _, code = authority.partition(":")
        return Issuer(kind, code or None)

    @property
    def authority(self) -> str:
        return self.kind if self.code is None else f"{self.kind}:{self.code}"

    def decision_id(self, federation: str, year: int, number: str) -> UUID:
        """Numbers are unique per issuer and year; unit codes only within their federation."""
        key = f"unit:{federation}/{self.code}" if self.kind == "unit" else self.authority
        return Decision.id_for(key, year, number)

    def grants(self, award: Award) -> bool:
        return granted_by(award) in GRANTS.get(self.kind, frozenset())


def granted_by(award: Award) -> str:
    """The catalogue's granting authority of `award` as unit, federation, national or outside
    (the state's, imported). A federation's own awards (`ldld:<code>`) are granted by the
    federation, or by its units where they are of a unit's level."""
    if award.authority.startswith("ldld:"):
        return OWN_LEVELS.get(award.level, "outside")
    return GRANTED_BY.get(award.authority, "outside")


def issuers_of(award: Award, federation: str) -> str:
    """Who may decide `award`, as a refusal says it."""
    return {
        "unit": f"a unit ('unit:<code>') or the federation ('ldld:{federation}')",
        "federation": f"the federation ('ldld:{federation}')",
        "national": "the national union ('tld')",
    }.get(granted_by(award), "the state (record it with grants:import)")


class NationalCouncil(Council):
    """A council of the national union over nominations forwarded by several federations,
    stored under NATIONAL_KEY; each agenda item names its nomination's federation. Its events
    are its own, not `council-resolved`: a federation's council's published result stays the
    one the federation's reports count."""
