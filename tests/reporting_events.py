"""Building CloudEvent envelopes as the services publish them (docs/events.md), for tests
that feed reporting known event sets."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

_sequence = itertools.count(1)
NS = uuid.UUID("00000000-0000-0000-0000-0000000000aa")


def envelope(
    service: str,
    name: str,
    data: dict[str, Any],
    *,
    subject: str,
    version: int = 1,
    time: str = "2023-06-01T09:00:00+07:00",
    actor: str = "clerk",
) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid5(NS, f"{subject}:{version}")),
        "source": f"tdkt/{service}",
        "type": f"tdkt.{service}.{name}.v1",
        "subject": str(uuid.uuid5(NS, subject)),
        "time": time,
        "federation": data["federation"],
        "sequence": next(_sequence),
        "actor": actor,
        "correlationid": "c",
        "causationid": "c",
        "version": version,
        "data": data,
    }


def unit(
    fed: str,
    code: str,
    ancestry: list[str],
    kind: str = "grassroots",
    name: str | None = None,
    effective_on: str | None = None,
) -> dict[str, Any]:
    return envelope(
        "registration",
        "unit-registered",
        {
            "federation": fed,
            "code": code,
            "name": name or code.upper(),
            "kind": kind,
            "parent": ancestry[-2] if len(ancestry) > 1 else None,
            "ancestry": ancestry,
            "effective_on": effective_on,
        },
        subject=f"unit:{fed}:{code}",
    )


def unit_moved(
    fed: str,
    code: str,
    frm: list[str],
    to: list[str],
    effective_on: str,
    version: int = 2,
    to_federation: str | None = None,
) -> dict[str, Any]:
    return envelope(
        "registration",
        "unit-moved",
        {
            "federation": fed,
            "code": code,
            "name": code.upper(),
            "kind": "grassroots",
            "from_parent": frm[-2] if len(frm) > 1 else None,
            "to_parent": to[-2] if len(to) > 1 else None,
            "previous_ancestry": frm,
            "ancestry": to,
            "to_federation": to_federation or fed,
            "effective_on": effective_on,
        },
        subject=f"unit:{fed}:{code}",
        version=version,
    )


def pledge(
    fed: str,
    kind: str,
    code: str,
    award: str,
    unit_path: list[str],
    year: int = 2023,
    movement: str = "td-2023",
    phase: str | None = None,
) -> dict[str, Any]:
    return envelope(
        "registration",
        "pledge-registered",
        {
            "federation": fed,
            "movement": movement,
            "movement_name": movement,
            "year": year,
            "phase": phase,
            "award": award,
            "award_name": award,
            "subject_kind": kind,
            "subject_code": code,
            "subject_name": code,
            "unit": unit_path[-1],
            "unit_path": unit_path,
            "submitted_by": unit_path[-1],
            "pledged_on": f"{year}-02-01",
        },
        subject=f"pledge:{fed}:{movement}:{kind}:{code}:{award}",
    )


def pledge_withdrawn(first: dict[str, Any]) -> dict[str, Any]:
    d = first["data"]
    key = f"pledge:{d['federation']}:{d['movement']}:{d['subject_kind']}:{d['subject_code']}:{d['award']}"
    return envelope(
        "registration",
        "pledge-withdrawn",
        {k: d[k] for k in ("federation", "movement", "year", "award", "subject_kind", "subject_code", "unit")}
        | {"on": "2023-03-01"},
        subject=key,
        version=2,
    )


def grant(
    fed: str,
    kind: str,
    code: str,
    award: str,
    unit_path: list[str],
    year: int = 2023,
    number: str = "45/QĐ-LĐLĐ",
    level: str = "federation",
    authority: str | None = None,
    time: str = "2023-12-22T10:00:00+07:00",
) -> dict[str, Any]:
    return envelope(
        "awards",
        "award-granted",
        {
            "federation": fed,
            "subject_kind": kind,
            "subject_code": code,
            "subject_name": code,
            "unit": unit_path[-1],
            "unit_path": unit_path,
            "award": award,
            "award_name": award,
            "level": level,
            "year": year,
            "decision_id": "d",
            "decision_number": number,
            "decision_date": f"{year}-12-22",
            "signer": "Hoàng Thị Thu",
            "authority": authority or f"ldld:{fed}",
            "source": "decision",
            "nomination": None,
            "bonus_coefficient": None,
        },
        subject=f"grant:{fed}:{kind}:{code}:{award}:{year}",
        time=time,
        actor="approver",
    )


def revoked(g: dict[str, Any], on: str, time: str) -> dict[str, Any]:
    d = g["data"]
    return envelope(
        "awards",
        "award-revoked",
        {
            **{
                k: d[k]
                for k in (
                    "federation",
                    "subject_kind",
                    "subject_code",
                    "subject_name",
                    "unit",
                    "award",
                    "award_name",
                    "level",
                    "year",
                    "decision_number",
                )
            },
            "reason": "khai man thành tích",
            "reference": "12/QĐ-LĐLĐ",
            "revoked_on": on,
        },
        subject=f"grant:{d['federation']}:{d['subject_kind']}:{d['subject_code']}:{d['award']}:{d['year']}",
        version=2,
        time=time,
    )


def initiative(
    fed: str,
    code: str,
    unit_path: list[str],
    year: int,
    recognised_value: int | None = None,
) -> list[dict[str, Any]]:
    base = {
        "federation": fed,
        "initiative": code,
        "title": code,
        "author_kind": "member",
        "author_code": f"author-{code}",
        "unit": unit_path[-1],
        "unit_path": unit_path,
        "year": year,
    }
    events = [
        envelope(
            "registration",
            "initiative-registered",
            {
                **base,
                "field": "kỹ thuật",
                "benefit_value": 0,
                "author_name": "A",
                "registered_on": f"{year}-03-01",
            },
            subject=f"initiative:{fed}:{code}",
        )
    ]
    if recognised_value is not None:
        events.append(
            envelope(
                "registration",
                "initiative-recognised",
                {
                    **base,
                    "benefit_value": recognised_value,
                    "recognised_on": f"{year}-09-01",
                    "recognised_by": "hđ",
                },
                subject=f"initiative:{fed}:{code}",
                version=2,
            )
        )
    return events


def work(
    fed: str, code: str, unit_path: list[str], value: int, year: int, plaqued: bool
) -> list[dict[str, Any]]:
    base = {
        "federation": fed,
        "work": code,
        "name": code,
        "unit": unit_path[-1],
        "unit_path": unit_path,
        "value": value,
        "year": year,
    }
    events = [
        envelope(
            "registration",
            "work-registered",
            {**base, "occasion": "Đại hội Công đoàn tỉnh lần thứ X", "registered_on": f"{year}-02-01"},
            subject=f"work:{fed}:{code}",
        )
    ]
    if plaqued:
        events.append(
            envelope(
                "registration",
                "work-completed",
                {**base, "completed_on": f"{year}-08-01"},
                subject=f"work:{fed}:{code}",
                version=2,
            )
        )
        events.append(
            envelope(
                "registration",
                "work-plaqued",
                {**base, "plaqued_on": f"{year}-08-20"},
                subject=f"work:{fed}:{code}",
                version=3,
            )
        )
    return events


def target(
    fed: str,
    unit_code: str,
    unit_path: list[str],
    programme: str,
    year: int,
    value: int,
) -> dict[str, Any]:
    return envelope(
        "registration",
        "target-assigned",
        {
            "federation": fed,
            "unit": unit_code,
            "unit_name": unit_code,
            "unit_path": unit_path,
            "programme": programme,
            "year": year,
            "target": value,
            "origin": "assigned",
            "assigned_by": "national",
        },
        subject=f"target:{fed}:{unit_code}:{programme}:{year}",
    )
