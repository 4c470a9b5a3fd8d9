"""Subjects, filing, nodes, catalog, trace codes, records."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
