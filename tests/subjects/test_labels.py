"""Labels: every symbol decodes back (zxing-cpp, from PNG) to what it should carry; SVG; PDF sheets."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import Engine

from tests.subjects.test_issuance import GTIN, code_request, file_approved
from zhuisu.errors import ValidationFailed
from zhuisu.store.engine import read_connection, write_transaction
from zhuisu.subjects import issuance, labels
from zhuisu.subjects.labels import Format, Symbol
from zhuisu.subjects.schemas import CodeScheme

BASE = "https://trace.example.cn"
DL = "https://id.gs1.org"
SGTIN = "https://id.gs1.org/01/06901234567892/21/A7"
PLATFORM = "3501000000100000000017"
MEAT_VEG = "37060000400010000003"

CASES = [
    (SGTIN, CodeScheme.SGTIN, Symbol.QR, "https://id.gs1.org/01/06901234567892/21/A7", "]Q1"),
    (SGTIN, CodeScheme.SGTIN, Symbol.DATAMATRIX, "(01)06901234567892(21)A7", "]d2"),
    (SGTIN, CodeScheme.SGTIN, Symbol.GS1_128, "(01)06901234567892(21)A7", "]C1"),
    (PLATFORM, CodeScheme.PLATFORM, Symbol.QR, f"{BASE}/t/{PLATFORM}", "]Q1"),
    (PLATFORM, CodeScheme.PLATFORM, Symbol.CODE128, PLATFORM, "]C0"),
    (MEAT_VEG, CodeScheme.MEAT_VEG, Symbol.QR, f"{BASE}/t/{MEAT_VEG}", "]Q1"),
    (MEAT_VEG, CodeScheme.MEAT_VEG, Symbol.CODE128, MEAT_VEG, "]C0"),
]


def decode(png: bytes) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))


@pytest.mark.parametrize(("code", "scheme", "symbol", "content", "symbology"), CASES)
def test_every_symbol_decodes_back(
    code: str, scheme: CodeScheme, symbol: Symbol, content: str, symbology: str
) -> None:
    label = labels.make_label(code, scheme, symbol, product_name="冷鲜猪肉", base_url=BASE + "/", dl_host=DL)
    assert label.data == content
    (found,) = decode(labels.render(label, Format.PNG))
    assert found.text == content and found.symbology_identifier == symbology
    if symbol in (Symbol.DATAMATRIX, Symbol.GS1_128):
        assert found.content_type == zxingcpp.ContentType.GS1  # FNC1 in first position
    svg = labels.render(label, Format.SVG).decode()
    assert "<svg" in svg and "</svg>" in svg


def test_digital_link_host_is_a_setting() -> None:
    label = labels.make_label(
        SGTIN, CodeScheme.SGTIN, Symbol.QR, product_name="x", base_url=BASE, dl_host=BASE
    )
    assert label.data == f"{BASE}/01/06901234567892/21/A7"
    assert label.text == "(01)06901234567892(21)A7"


def test_a_scheme_refuses_symbols_it_cannot_carry() -> None:
    with pytest.raises(ValidationFailed, match="datamatrix"):
        labels.make_label(
            PLATFORM, CodeScheme.PLATFORM, Symbol.DATAMATRIX, product_name="x", base_url=BASE, dl_host=DL
        )
    with pytest.raises(ValidationFailed):
        labels.make_label(
            SGTIN, CodeScheme.SGTIN, Symbol.CODE128, product_name="x", base_url=BASE, dl_host=DL
        )


def test_sheet_html_and_pdf_with_the_cjk_font() -> None:
    items = [
        labels.make_label(c, s, sym, product_name="冷鲜猪肉<五花>", base_url=BASE, dl_host=DL)
        for c, s, sym, _content, _id in CASES
    ]
    document = labels.sheet_html(items, title="追溯码标签")
    assert document.count('class="label') == len(CASES)
    assert (
        "冷鲜猪肉&lt;五花&gt;" in document and "(01)06901234567892(21)A7" in document and PLATFORM in document
    )
    pdf = labels.sheet_pdf(document, compress=False)
    assert pdf.startswith(b"%PDF-")
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/]+)", pdf))
    assert b"WenQuanYi-Micro-Hei" in fonts, fonts  # the CJK font is embedded (fonts-wqy-microhei)


def test_labels_of_issued_codes(engine: Engine) -> None:
    file_approved(engine)
    with write_transaction(engine) as conn:
        doc = issuance.request_codes(
            conn, code_request(scheme="gs1.sgtin", gtin=GTIN, count=4), auto_approve=True
        )
        issuance.void_code(conn, doc["last_code"], "印错")
        pending = issuance.request_codes(conn, code_request(count=1))
    with read_connection(engine) as conn:
        png = labels.code_label(
            conn,
            "(01)06901234567892(21)2",
            symbol=Symbol.DATAMATRIX,
            fmt=Format.PNG,
            base_url=BASE,
            dl_host=DL,
        )
        assert png.media_type == "image/png"
        assert decode(png.content)[0].text == "(01)06901234567892(21)2"
        sheet = labels.request_sheet(
            conn, doc["id"], symbol=Symbol.GS1_128, base_url=BASE, dl_host=DL, pdf=False
        )
        text = sheet.content.decode()
        assert text.count('class="label') == 3  # the voided code gets no label
        pdf = labels.request_sheet(conn, doc["id"], symbol=Symbol.QR, base_url=BASE, dl_host=DL, limit=2)
        assert pdf.media_type == "application/pdf" and pdf.content.startswith(b"%PDF-")
        with pytest.raises(ValidationFailed):
            labels.request_sheet(conn, pending["id"], symbol=Symbol.QR, base_url=BASE, dl_host=DL)
        one = labels.code_sheet(conn, doc["first_code"], symbol=Symbol.QR, base_url=BASE, dl_host=DL)
        assert one.content.startswith(b"%PDF-")
