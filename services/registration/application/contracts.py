"""Registration's published events: explicit, versioned wire names (docs/architecture.md, "The
public contract"; the events and their data in docs/events.md)."""

from services.registration.domain.covenants import Covenant
from services.registration.domain.members import Member
from services.registration.domain.movements import Movement
from services.registration.domain.organisation import Federation, Unit
from services.registration.domain.pledges import Pledge
from services.registration.domain.programmes import Initiative, Target, Work
from shared.messaging.contracts import Contract, Contracts

CONTRACTS = Contracts(
    "registration",
    {
        Federation.Created: Contract("federation-created"),
        Federation.Merged: Contract("federation-merged"),
        Federation.Corrected: Contract("federation-corrected"),
        Unit.Registered: Contract("unit-registered"),
        Unit.Moved: Contract("unit-moved"),
        Unit.Merged: Contract("unit-merged"),
        Unit.Dissolved: Contract("unit-dissolved"),
        Unit.Corrected: Contract("unit-corrected"),
        Member.Registered: Contract("member-registered"),
        Member.Transferred: Contract("member-transferred"),
        Member.Left: Contract("member-left"),
        Member.Corrected: Contract("member-corrected"),
        Movement.Launched: Contract("movement-launched"),
        Movement.Closed: Contract("movement-closed"),
        Pledge.Registered: Contract("pledge-registered"),
        Pledge.Accepted: Contract("pledge-accepted"),
        Pledge.Returned: Contract("pledge-returned"),
        Pledge.Resubmitted: Contract("pledge-resubmitted"),
        Pledge.Withdrawn: Contract("pledge-withdrawn"),
        Covenant.Signed: Contract("covenant-signed"),
        Covenant.Scored: Contract("block-scored"),
        Covenant.LeaderAcclaimed: Contract("block-leader-acclaimed"),
        Target.Assigned: Contract("target-assigned"),
        Initiative.Registered: Contract("initiative-registered"),
        Initiative.Recognised: Contract("initiative-recognised"),
        Initiative.Rejected: Contract("initiative-rejected"),
        Work.Registered: Contract("work-registered"),
        Work.Completed: Contract("work-completed"),
        Work.Plaqued: Contract("work-plaqued"),
    },
)
