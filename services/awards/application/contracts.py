"""Awards' published events: explicit, versioned wire names (the public contract of
docs/architecture.md; each event's data in docs/events.md). Events not listed (histories opened,
grants noted, votes, ballots, policy) are stored, never published."""

from services.awards.domain.catalogue import FederationCatalogue
from services.awards.domain.councils import Council
from services.awards.domain.grants import Decision, Grant
from services.awards.domain.history import History
from services.awards.domain.nominations import Nomination
from services.awards.domain.policy import RuleBook
from shared.messaging.contracts import Contract, Contracts

CONTRACTS = Contracts(
    "awards",
    {
        FederationCatalogue.Defined: Contract("award-defined"),
        RuleBook.Published: Contract("rule-set-published"),
        History.RatingRecorded: Contract("rating-recorded"),
        History.DisciplineRecorded: Contract("discipline-recorded"),
        Nomination.Submitted: Contract("nomination-submitted"),
        Nomination.Withdrawn: Contract("nomination-withdrawn"),
        Nomination.Forwarded: Contract("nomination-forwarded"),
        Council.Resolved: Contract("council-resolved"),
        Decision.Issued: Contract("decision-issued"),
        Grant.Granted: Contract("award-granted"),
        Grant.Revoked: Contract("award-revoked"),
    },
)
