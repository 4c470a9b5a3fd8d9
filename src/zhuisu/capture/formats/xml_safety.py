"""Parse untrusted XML without letting it fetch, expand or swallow anything.

Captured EPCIS XML comes from enterprises and other platforms, so every byte is hostile until
proven otherwise. EPCIS 2.0 §9 (XML binding) defines documents by XSD alone: a conforming
document never needs a DTD, an entity declaration or an external resource. So this module refuses
them *before* libxml2 sees the document, and parses what is left with a parser that could not
honour them anyway — three layers:

1. a size cap (``max_bytes``), checked before anything is parsed;
2. a scan of the prolog (XML declaration, comments, PIs, DOCTYPE) that rejects any DOCTYPE with
   an internal subset (``[...]``: entity declarations, billion laughs, parameter entities) or an
   external identifier (``SYSTEM`` / ``PUBLIC``: external DTD, XXE). A bare ``<!DOCTYPE name>``
   declares nothing and points nowhere, and GS1's own EPCIS 2.0 examples carry one
   (``<!DOCTYPE project>``), so it is tolerated. Documents in encodings the scan cannot read
   (anything not ASCII-compatible except UTF-16/UTF-32) are refused;
3. the lxml parser itself: ``resolve_entities=False, no_network=True, load_dtd=False,
   huge_tree=False`` (libxml2's limits: 256 levels of nesting, 10 MB per text node), comments and
   processing instructions dropped, and a resolver that answers every external load with an
   empty document. The resolver matters: libxml2 2.14 under lxml 6 reads an external subset or
   a parameter entity from a ``file:`` URL in some configurations despite ``load_dtd=False`` (seen
   with ``collect_ids=False``, hence left at its default), which is also why layer 2 refuses such
   documents before libxml2 sees them.

Problem codes (stable, documented in the tests):

``xml.too_large``            the document exceeds ``max_bytes`` or a libxml2 resource limit
``xml.too_deep``             elements nested deeper than libxml2's limit (256)
``xml.dtd_forbidden``        a DOCTYPE with an internal subset or external identifier
``xml.unsupported_encoding`` an encoding the prolog scan cannot read safely
``xml.not_well_formed``      anything else libxml2 rejects (including undefined entities)
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from zhuisu.domain.problem import Problem

#: default cap on the size of one XML document (bytes); callers pass their configured limit
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

#: libxml2's nesting limit without XML_PARSE_HUGE (huge_tree=False); EPCIS needs < 20 levels
MAX_DEPTH = 256

# Encodings whose bytes below 0x40 always mean the ASCII character, so a byte scan of the prolog
# is exact (multi-byte CJK encodings use trail bytes >= 0x40). Normalised: lower case, no -/_.
_ASCII_COMPATIBLE = re.compile(
    rb"(utf8|usascii|ascii|iso8859\d+|latin\d|windows125\d|cp125\d|gb2312|gbk|gb18030|big5|"
    rb"big5hkscs|shiftjis|sjis|eucjp|euckr|euccn|koi8r|koi8u|tis620)"
)
_ENCODING_DECL = re.compile(rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_BARE_DOCTYPE = re.compile(rb"<!DOCTYPE[ \t\r\n]+[^ \t\r\n\[>'\"]+[ \t\r\n]*>")
_WHITESPACE = b" \t\r\n"


class _DenyResolver(etree.Resolver):
    """Answers every external load (DTD, entity, XInclude) with an empty document."""

    # lxml-stubs leave out the context argument that lxml passes
    def resolve(self, system_url: str, public_id: str, context: object) -> Any:  # type: ignore[override]
        return self.resolve_string("", context, base_url=None)


def _problem(code: str, zh: str, en: str) -> Problem:
    return Problem(None, "/", code, zh, en)


def _too_large(size: int, max_bytes: int) -> Problem:
    return _problem(
        "xml.too_large",
        f"XML 文档过大：{size} 字节，上限 {max_bytes} 字节",
        f"XML document too large: {size} bytes, the limit is {max_bytes} bytes",
    )


def _dtd_forbidden() -> Problem:
    return _problem(
        "xml.dtd_forbidden",
        "XML 文档含有 DOCTYPE/实体声明或外部 DTD 引用；EPCIS XML 不需要也不接受 DTD（防止实体膨胀与 XXE）",
        "the XML document carries a DOCTYPE with entity declarations or an external DTD reference; "
        "EPCIS XML needs no DTD and none is accepted (protection against entity expansion and XXE)",
    )


def _unsupported_encoding(name: str) -> Problem:
    return _problem(
        "xml.unsupported_encoding",
        f"不支持的 XML 字符编码：{name}；请使用 UTF-8",
        f"unsupported XML character encoding: {name}; please use UTF-8",
    )


def _prolog_bytes(data: bytes) -> bytes | Problem:
    """The document as bytes in which the prolog can be scanned as ASCII (XML 1.0 Appendix F)."""
    head = data[:4]
    codec = None
    if head.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\x00<", b"<\x00\x00\x00")):
        codec = "utf-32"
        if head in (b"\x00\x00\x00<",):
            codec = "utf-32-be"
        elif head in (b"<\x00\x00\x00",):
            codec = "utf-32-le"
    elif head.startswith((b"\xfe\xff", b"\xff\xfe")):
        codec = "utf-16"
    elif head.startswith(b"\x00<"):
        codec = "utf-16-be"
    elif head.startswith(b"<\x00"):
        codec = "utf-16-le"
    elif head == b"\x4c\x6f\xa7\x94":
        return _unsupported_encoding("EBCDIC")
    if codec is not None:
        # Only the prolog matters; a DOCTYPE that matters fits well inside the first megabyte,
        # and one that does not is cut off and so cannot look bare.
        return data[: 1024 * 1024].decode(codec, errors="replace").encode("utf-8", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    match = _ENCODING_DECL.match(data)
    if match is not None:
        name = match.group(1)
        normalised = name.lower().replace(b"-", b"").replace(b"_", b"").replace(b".", b"")
        if not _ASCII_COMPATIBLE.fullmatch(normalised):
            if normalised.startswith((b"utf16", b"utf32", b"ucs")):
                return data  # declared UTF-16/32 but ASCII bytes: libxml2 will reject it
            return _unsupported_encoding(name.decode("ascii"))
    return data


def check_prolog(data: bytes) -> Problem | None:
    """Reject a DOCTYPE that declares or references anything (layer 2 in the module docstring).

    Walks the prolog only — XML declaration, comments, processing instructions, whitespace — up
    to the first element, so a ``<!DOCTYPE`` inside a comment or in text is not mistaken for one.
    """
    scanned = _prolog_bytes(data)
    if isinstance(scanned, Problem):
        return scanned
    i, n = 0, len(scanned)
    while i < n:
        while i < n and scanned[i] in _WHITESPACE:
            i += 1
        if scanned.startswith(b"<?", i):
            end = scanned.find(b"?>", i + 2)
            if end < 0:
                return None  # unterminated: libxml2 reports it as not well-formed
            i = end + 2
        elif scanned.startswith(b"<!--", i):
            end = scanned.find(b"-->", i + 4)
            if end < 0:
                return None
            i = end + 3
        elif scanned.startswith(b"<!", i):
            # <!DOCTYPE (or anything else starting <! in the prolog, which is either a DOCTYPE
            # spelt oddly or not well-formed): only the bare form is tolerated.
            return None if _BARE_DOCTYPE.match(scanned, i) else _dtd_forbidden()
        else:
            return None  # the root element starts: no DOCTYPE
    return None


def _parser() -> etree.XMLParser:
    # One parser per call: lxml parsers keep per-parse state and are not shared across threads.
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )
    parser.resolvers.add(_DenyResolver())
    return parser


def _syntax_problem(error: etree.XMLSyntaxError, size: int, max_bytes: int) -> Problem:
    message = str(error.msg if error.msg else error)
    line = error.lineno or 0
    if "Excessive depth" in message:
        return _problem(
            "xml.too_deep",
            f"XML 元素嵌套过深（超过 {MAX_DEPTH} 层，第 {line} 行）",
            f"XML elements nested too deeply (more than {MAX_DEPTH} levels, line {line})",
        )
    if "Resource limit" in message or "XML_PARSE_HUGE" in message or "too long" in message:
        return (
            _too_large(size, max_bytes)
            if size > max_bytes
            else _problem(
                "xml.too_large",
                f"XML 文档超出解析器资源上限（第 {line} 行）：{message}",
                f"the XML document exceeds a parser resource limit (line {line}): {message}",
            )
        )
    if "amplification" in message or "entity reference loop" in message.lower():
        return _dtd_forbidden()
    return _problem(
        "xml.not_well_formed",
        f"XML 格式不正确（第 {line} 行）：{message}",
        f"the XML is not well-formed (line {line}): {message}",
    )


def parse_untrusted(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element | Problem:
    """The root element of ``data``, or the Problem that rejects it.

    Never expands an entity, reads a file, opens a connection or builds more than ``max_bytes``
    of input into a tree; see the module docstring for the layers and the problem codes.
    """
    size = len(data)
    if size > max_bytes:
        return _too_large(size, max_bytes)
    problem = check_prolog(data)
    if problem is not None:
        return problem
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        return _syntax_problem(error, size, max_bytes)
    # Layer 3 catches what the prolog scan could not read: any external identifier, or an
    # internal subset that declares something (iterentities / elements: not in lxml-stubs).
    docinfo: etree.DocInfo = root.getroottree().docinfo
    internal: Any = docinfo.internalDTD
    if getattr(docinfo, "system_url", None) or docinfo.public_id:
        return _dtd_forbidden()
    if internal is not None and (any(True for _ in internal.iterentities()) or internal.elements()):
        return _dtd_forbidden()
    return root
