"""Chinese trace records: templates, the record API and file import."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
