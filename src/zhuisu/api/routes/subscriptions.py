"""Query subscriptions (webhooks) per the EPCIS 2.0 REST bindings."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
