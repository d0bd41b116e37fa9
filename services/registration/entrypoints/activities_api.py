"""Registration's HTTP API: covenants, targets, initiatives and works."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1")
