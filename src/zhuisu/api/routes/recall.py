"""Integrity findings and recall scope."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
