"""Awards' published events: explicit, versioned wire names (ENGINEERING.md section 2)."""

from services.awards.domain.grants import Decision, Grant
from shared.contracts import Contract, Contracts

CONTRACTS = Contracts(
    "awards",
    {
        Decision.Issued: Contract("decision-issued"),
        Grant.Granted: Contract("award-granted"),
        Grant.Revoked: Contract("award-revoked"),
    },
)
