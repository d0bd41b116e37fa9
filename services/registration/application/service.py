"""Registration's application: each command checks its rules and stores its events.

The commands live in one module per part of the domain; this class puts them together."""

from __future__ import annotations

from services.registration.application.activities import ActivityApplication
from services.registration.application.bulk import BulkApplication


class RegistrationApplication(BulkApplication, ActivityApplication):
    name = "Registration"
