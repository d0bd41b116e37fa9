"""Dates as the users see them: Vietnam time (UTC+7)."""

from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")


def today() -> date:
    return datetime.now(UTC).astimezone(VIETNAM).date()
