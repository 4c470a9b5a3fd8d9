"""EPCIS 2.0 query: SimpleEventQuery, resources, named queries, subscriptions, master data."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
