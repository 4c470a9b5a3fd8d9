"""Reading capture documents from files (the CLI's ``validate``, ``hash`` and ``capture``)."""

from __future__ import annotations

from pathlib import Path

from zhuisu.capture.document import ParsedDocument
from zhuisu.capture.formats.detect import parse_bytes

SUFFIX_TYPES = {
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".xml": "application/xml",
}


def read_document(path: Path) -> ParsedDocument:
    """Parse a file by its suffix (.json, .jsonld, .xml), else by its first byte."""
    return parse_bytes(path.read_bytes(), SUFFIX_TYPES.get(path.suffix.lower()))
