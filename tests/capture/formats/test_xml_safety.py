"""Hostile XML is refused with a clear Problem, never expanded or fetched, and cheaply.

Problem codes checked here (documented in ``zhuisu.capture.formats.xml_safety``):
``xml.dtd_forbidden`` (entity declarations, external DTD, XXE, parameter entities),
``xml.too_large`` (over the size cap or a libxml2 resource limit), ``xml.too_deep`` (nesting),
``xml.not_well_formed``, ``xml.unsupported_encoding``.

No test here has a time limit; memory is measured with ``resource.getrusage`` in a child process,
so the numbers are not blurred by whatever the rest of the test run allocated.
"""

from __future__ import annotations

import http.server
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from lxml import etree

from zhuisu.capture.formats import xml_safety
from zhuisu.capture.formats.epcis_xml import parse_xml
from zhuisu.capture.formats.xml_safety import check_prolog, parse_untrusted
from zhuisu.domain.problem import Problem

CJK = re.compile(r"[\u4e00-\u9fff]")

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b']>\n<lolz a="&lol9;">&lol9;</lolz>'
)

QUADRATIC_BLOWUP = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + b"x" * 50_000 + b'">]><r>' + b"&a;" * 50_000 + b"</r>"
)

EPCIS_HEAD = (
    b'<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" '
    b'creationDate="2024-01-01T00:00:00Z"><EPCISBody><EventList>'
)
EPCIS_TAIL = b"</EventList></EPCISBody></epcis:EPCISDocument>"


def assert_bilingual(problem: Problem) -> None:
    assert CJK.search(problem.message_zh), problem.message_zh
    assert problem.message_en and not CJK.search(problem.message_en), problem.message_en


def rejected(result: etree._Element | Problem, code: str) -> Problem:
    assert isinstance(result, Problem), f"expected {code}, the document was accepted"
    assert result.code == code, result
    assert_bilingual(result)
    return result


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.requests.append(self.path)
        body = b'<!ENTITY leak "ZHUISU-HTTP-LEAK">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def _server() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def http_server(_server: str) -> str:
    """A local HTTP server that records every request (there must be none)."""
    _Recorder.requests = []
    return _server


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A local file an XXE would try to read: if libxml2 ever reads it, parsing fails with a
    message naming it (its content is not a DTD), and its marker would show in the output."""
    path = tmp_path / "zhuisu-probe-secret.dtd"
    path.write_text("ZHUISU-FILE-LEAK this is not a DTD <<<\n", encoding="utf-8")
    return path


def hostile_documents(file_url: str, http_url: str) -> dict[str, bytes]:
    return {
        "billion_laughs": BILLION_LAUGHS,
        "quadratic_blowup": QUADRATIC_BLOWUP,
        "xxe_file": f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{file_url}">]><r>&x;</r>'.encode(),
        "xxe_etc_passwd": b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
        "xxe_http_port9": b'<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/">]><r>&x;</r>',
        "xxe_http": f'<!DOCTYPE r [<!ENTITY x SYSTEM "{http_url}/entity">]><r>&x;</r>'.encode(),
        "external_dtd_file": f'<!DOCTYPE r SYSTEM "{file_url}"><r>&leak;</r>'.encode(),
        "external_dtd_http": f'<!DOCTYPE r SYSTEM "{http_url}/x.dtd"><r a="&leak;"/>'.encode(),
        "external_dtd_public": f'<!DOCTYPE r PUBLIC "-//Z//X//EN" "{http_url}/p.dtd"><r/>'.encode(),
        "parameter_entity_file": (
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "{file_url}"> %p;]><r/>'.encode()
        ),
        "parameter_entity_http": (
            f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{http_url}/pe"> %p;]><r>&leak;</r>'.encode()
        ),
        "parameter_entity_internal": b"<!DOCTYPE r [<!ENTITY % p \"<!ENTITY q 'x'>\"> %p;]><r>&q;</r>",
        "utf16_external_dtd": (
            f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r SYSTEM "{file_url}"><r/>'.encode("utf-16")
        ),
        "epcis_with_xxe": (
            f'<!DOCTYPE epcis:EPCISDocument [<!ENTITY x SYSTEM "{file_url}">]>'.encode()
            + EPCIS_HEAD
            + b"<ObjectEvent><eventTime>&x;</eventTime></ObjectEvent>"
            + EPCIS_TAIL
        ),
    }


HOSTILE = list(hostile_documents("file:///x", "http://127.0.0.1:9"))


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_document_is_refused_before_parsing(name: str, secret_file: Path, http_server: str) -> None:
    data = hostile_documents(secret_file.as_uri(), http_server)[name]
    problem = rejected(parse_untrusted(data), "xml.dtd_forbidden")
    assert "LEAK" not in problem.message
    assert _Recorder.requests == []
    doc = parse_xml(data)
    assert doc.events == [] and [p.code for p in doc.problems] == ["xml.dtd_forbidden"]


@pytest.mark.parametrize("name", HOSTILE)
def test_parser_alone_neither_reads_nor_fetches(
    name: str, secret_file: Path, http_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Layer 3 on its own (the prolog scan switched off): whatever libxml2 makes of the document,
    # no file is read, no request made and no entity expanded.
    monkeypatch.setattr(xml_safety, "check_prolog", lambda data: None)
    data = hostile_documents(secret_file.as_uri(), http_server)[name]
    result = parse_untrusted(data)
    if isinstance(result, Problem):
        assert "zhuisu-probe-secret" not in result.message_en, result
        assert "passwd" not in result.message_en, result
        assert result.code in ("xml.dtd_forbidden", "xml.not_well_formed"), result
    else:
        text = etree.tostring(result)
        assert b"LEAK" not in text and b"lollol" not in text
    assert _Recorder.requests == []


def test_bare_doctype_is_tolerated() -> None:
    # GS1's EPCIS 2.0 examples start with <!DOCTYPE project>: it declares nothing, fetches nothing
    result = parse_untrusted(b'<?xml version="1.0"?>\n<!DOCTYPE project>\n<!-- c --><r/>')
    assert isinstance(result, etree._Element)
    assert check_prolog(b"<!DOCTYPE project >\n<r/>") is None


def test_doctype_only_counts_in_the_prolog() -> None:
    data = (
        b'<?xml version="1.0"?><!-- <!DOCTYPE x [<!ENTITY a "b">]> --><?pi <!DOCTYPE?><r>&lt;!DOCTYPE x [</r>'
    )
    result = parse_untrusted(data)
    assert isinstance(result, etree._Element)
    assert result.text == "<!DOCTYPE x ["


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE r [\n]><r/>",
        b"\xef\xbb\xbf<!DOCTYPE r SYSTEM 'x.dtd'><r/>",
        b"  \n<?xml-stylesheet href='a'?>\n<!DOCTYPE r [<!ELEMENT r ANY>]><r/>",
        "<!DOCTYPE r [<!ENTITY a 'b'>]><r/>".encode("utf-16-le"),
        "\ufeff<!DOCTYPE r [<!ENTITY a 'b'>]><r/>".encode("utf-16-be"),
        "<!DOCTYPE r [<!ENTITY a 'b'>]><r/>".encode("utf-32"),
    ],
    ids=["empty-subset", "utf8-bom-system", "after-pi", "utf16le-no-bom", "utf16be-bom", "utf32"],
)
def test_any_declaring_doctype_is_refused(data: bytes) -> None:
    rejected(parse_untrusted(data), "xml.dtd_forbidden")


def test_size_cap_is_checked_before_parsing() -> None:
    data = EPCIS_HEAD + b"<ObjectEvent/>" * 100_000 + EPCIS_TAIL
    problem = rejected(parse_untrusted(data, max_bytes=1024 * 1024), "xml.too_large")
    assert str(len(data)) in problem.message_en
    assert [p.code for p in parse_xml(data, max_bytes=1024 * 1024).problems] == ["xml.too_large"]
    assert isinstance(parse_untrusted(data, max_bytes=len(data)), etree._Element)


def test_default_cap() -> None:
    assert xml_safety.DEFAULT_MAX_BYTES == 64 * 1024 * 1024


def test_deep_document_is_refused() -> None:
    data = b"<a>" * 100_000 + b"</a>" * 100_000
    problem = rejected(parse_untrusted(data), "xml.too_deep")
    assert str(xml_safety.MAX_DEPTH) in problem.message_en
    # EPCIS-shaped nesting within the limit is fine
    assert isinstance(parse_untrusted(b"<a>" * 200 + b"</a>" * 200), etree._Element)


def test_huge_text_node_is_refused() -> None:
    data = b"<r>" + b"a" * (11 * 1024 * 1024) + b"</r>"
    rejected(parse_untrusted(data), "xml.too_large")


@pytest.mark.parametrize(
    ("data", "line"),
    [(b"", None), (b"<r>", 1), (b"<r>\n<a></b></r>", 2), (b"<r>&undefined;</r>", 1), (b"not xml", 1)],
)
def test_not_well_formed(data: bytes, line: int | None) -> None:
    problem = rejected(parse_untrusted(data), "xml.not_well_formed")
    if line is not None:
        assert f"line {line}" in problem.message_en


@pytest.mark.parametrize(
    "data",
    [
        b"\x4c\x6f\xa7\x94\x93\x40",  # EBCDIC "<?xml "
        b'<?xml version="1.0" encoding="UTF-7"?>+ADwAIQ-DOCTYPE r+AD4-<r/>',
        b'<?xml version="1.0" encoding="x-unknown"?><r/>',
    ],
    ids=["ebcdic", "utf-7", "unknown"],
)
def test_unreadable_encodings_are_refused(data: bytes) -> None:
    rejected(parse_untrusted(data), "xml.unsupported_encoding")


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "gbk", "utf-16", "iso-8859-1"])
def test_ordinary_encodings_are_read(encoding: str) -> None:
    text = f'<?xml version="1.0" encoding="{encoding.upper()}"?><r>追溯 trace</r>'
    if encoding == "iso-8859-1":
        text = text.replace("追溯", "é")
    result = parse_untrusted(text.encode(encoding))
    assert isinstance(result, etree._Element)
    assert result.text in ("追溯 trace", "é trace")


_MEMORY_PROBE = """
import json, resource, sys
from zhuisu.capture.formats import xml_safety
if sys.argv[2] == "parser-only":
    xml_safety.check_prolog = lambda data: None
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = xml_safety.parse_untrusted(data)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth_kib": after - before, "code": getattr(result, "code", None)}))
"""


@pytest.mark.parametrize("layers", ["all", "parser-only"])
@pytest.mark.parametrize("name", ["billion_laughs", "quadratic_blowup"])
def test_entity_bombs_do_not_eat_memory(name: str, layers: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.xml"
    path.write_bytes(hostile_documents("file:///x", "http://127.0.0.1:9")[name])
    completed = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(path), layers],
        capture_output=True,
        check=True,
        text=True,
    )
    report = json.loads(completed.stdout)
    # expanded, the billion laughs is ~3 GB and the quadratic blow-up ~2.5 GB
    assert report["growth_kib"] < 32 * 1024, report
    if layers == "all":
        assert report["code"] == "xml.dtd_forbidden"
