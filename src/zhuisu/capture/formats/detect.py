"""Pick the parser for a body: by media type when given, else by the first non-blank byte."""

from __future__ import annotations

from zhuisu.capture.document import Format, ParsedDocument
from zhuisu.capture.formats.epcis_json import parse_json
from zhuisu.capture.formats.epcis_xml import parse_xml
from zhuisu.domain.problem import Problem
from zhuisu.errors import UnsupportedMediaType

JSON_TYPES = frozenset({"application/json", "application/ld+json"})
XML_TYPES = frozenset({"application/xml", "text/xml"})


def media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def parse_bytes(data: bytes, content_type: str | None = None) -> ParsedDocument:
    """Parse an EPCIS document in JSON(-LD) or XML (2.0 or 1.2)."""
    kind = media_type(content_type)
    if kind in JSON_TYPES:
        return parse_json(data)
    if kind in XML_TYPES:
        return parse_xml(data)
    if kind is not None and kind not in ("application/octet-stream", "text/plain"):
        raise UnsupportedMediaType(
            f"不支持的内容类型 {kind}:请用 application/json、application/ld+json 或 application/xml",
            f"unsupported media type {kind}: use application/json, application/ld+json or application/xml",
        )
    head = data.lstrip()[:1]
    if head == b"<":
        return parse_xml(data)
    if head in (b"{", b"["):
        return parse_json(data)
    doc = ParsedDocument(Format.JSON)
    doc.problems.append(
        Problem(
            None,
            "$",
            "document.unknown_format",
            "无法识别的文档格式:应为 EPCIS JSON/JSON-LD 或 XML",
            "unrecognised document: expected EPCIS JSON/JSON-LD or XML",
        )
    )
    return doc
