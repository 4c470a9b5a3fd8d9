"""Trace-code labels (标签): QR, GS1 DataMatrix, GS1-128 and Code 128 symbols; sheets for printing.

What each symbol carries:

* QR (segno, ISO/IEC 18004): for GS1 identifiers the GS1 Digital Link URI (GS1 Digital Link
  standard §4, ``{host}/01/{gtin}/21/{serial}``; the host is a setting, the path identifies), for
  the platform and meat & vegetable codes the platform's trace URL ``{base_url}/t/{code}``;
* GS1 DataMatrix and GS1-128 (zxing-cpp; GS1 General Specifications §5.5 / §5.4): the GS1 element
  string ``(01)…(21)…``, encoded with FNC1 so that a scanner reports ``]d2`` / ``]C1``;
* Code 128 (zxing-cpp): the plain code, the linear symbol trace scales print for the 20-digit
  meat & vegetable code and usable for the platform code.

Symbols render as SVG or PNG; a sheet lays out many labels — the symbol, the human-readable code
under it (GenSpecs §4.15 HRI) and the product name in Chinese — as HTML, printed to PDF by
WeasyPrint with the WenQuanYi Micro Hei font (Debian ``fonts-wqy-microhei``, installed by the
Makefile's ``sysdeps`` step).
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from enum import StrEnum

import segno
import zxingcpp
from PIL import Image
from sqlalchemy import Connection

from zhuisu.domain import epc
from zhuisu.domain.codes import identify
from zhuisu.errors import ValidationFailed
from zhuisu.subjects import issuance
from zhuisu.subjects.schemas import CodeScheme

#: The CJK font of printed sheets (Debian fonts-wqy-microhei).
SHEET_FONT = "WenQuanYi Micro Hei"


class Symbol(StrEnum):
    QR = "qr"
    DATAMATRIX = "datamatrix"  # GS1 DataMatrix
    GS1_128 = "gs1-128"
    CODE128 = "code128"


class Format(StrEnum):
    SVG = "svg"
    PNG = "png"


MEDIA_TYPES = {Format.SVG: "image/svg+xml", Format.PNG: "image/png"}

SYMBOLS: dict[CodeScheme, tuple[Symbol, ...]] = {
    CodeScheme.PLATFORM: (Symbol.QR, Symbol.CODE128),
    CodeScheme.MEAT_VEG: (Symbol.QR, Symbol.CODE128),
    CodeScheme.SGTIN: (Symbol.QR, Symbol.DATAMATRIX, Symbol.GS1_128),
}

_ZXING_FORMATS = {
    Symbol.DATAMATRIX: zxingcpp.BarcodeFormat.DataMatrix,
    Symbol.GS1_128: zxingcpp.BarcodeFormat.Code128,
    Symbol.CODE128: zxingcpp.BarcodeFormat.Code128,
}


@dataclass(frozen=True, slots=True)
class Label:
    """One label: the code, the symbol, what the symbol encodes and the human-readable text."""

    code: str
    symbol: Symbol
    data: str
    text: str
    product_name: str


@dataclass(frozen=True, slots=True)
class Rendered:
    content: bytes
    media_type: str


# --------------------------------------------------------------------------- content


def element_string(code: str) -> str:
    """The GS1 element string of a serialised GTIN in human-readable form, ``(01)…(21)…``."""
    parts = identify(code, scheme="gs1.sgtin").parts
    return f"(01){parts['gtin']}(21){parts['serial']}"


def make_label(
    code: str,
    scheme: CodeScheme,
    symbol: Symbol,
    *,
    product_name: str,
    base_url: str,
    dl_host: str,
) -> Label:
    """What a label of ``code`` shows in ``symbol``; ValidationFailed for a symbol the scheme lacks."""
    if symbol not in SYMBOLS[scheme]:
        allowed = ", ".join(SYMBOLS[scheme])
        raise ValidationFailed(
            f"{issuance.SCHEME_ZH[scheme]}不能印成 {symbol},可选:{allowed}",
            f"a {scheme} code cannot be printed as {symbol}; choose one of: {allowed}",
        )
    if scheme is CodeScheme.SGTIN:
        text = element_string(code)
        link = dl_host.rstrip("/") + code.removeprefix(epc.CANONICAL_HOST)
        return Label(code, symbol, link if symbol is Symbol.QR else text, text, product_name)
    data = f"{base_url.rstrip('/')}/t/{code}" if symbol is Symbol.QR else code
    return Label(code, symbol, data, code, product_name)


# --------------------------------------------------------------------------- rendering


def _barcode(label: Label) -> zxingcpp.Barcode:
    gs1 = label.symbol in (Symbol.DATAMATRIX, Symbol.GS1_128)
    return zxingcpp.create_barcode(label.data, _ZXING_FORMATS[label.symbol], gs1=gs1)


def _qr(label: Label) -> segno.QRCode:
    # error correction M (15 %): the usual choice for printed product labels (ISO/IEC 18004 §4.9)
    return segno.make_qr(label.data, error="m", boost_error=False)


def render(label: Label, fmt: Format, *, scale: int = 4) -> bytes:
    """The symbol alone (with its quiet zone) as SVG or PNG."""
    if label.symbol is Symbol.QR:
        buf = io.BytesIO()
        if fmt is Format.SVG:
            _qr(label).save(buf, kind="svg", scale=scale, border=4, xmldecl=False, unit="px")
        else:
            _qr(label).save(buf, kind="png", scale=scale, border=4)
        return buf.getvalue()
    barcode = _barcode(label)
    if fmt is Format.SVG:
        return barcode.to_svg(scale=scale).encode()
    image = barcode.to_image(scale=scale)
    height, width = image.shape[0], image.shape[1]
    # zxing-cpp's Image exposes the buffer protocol (8-bit grey rows); its stub does not say so
    pixels = bytes(memoryview(image))  # type: ignore[arg-type]
    pil = Image.frombuffer("L", (width, height), pixels, "raw", "L", 0, 1)
    out = io.BytesIO()
    pil.save(out, format="PNG")
    return out.getvalue()


# --------------------------------------------------------------------------- sheets

_SHEET_CSS = f"""
@page {{ size: A4; margin: 10mm; }}
body {{ font-family: "{SHEET_FONT}", sans-serif; margin: 0; }}
h1 {{ font-size: 11pt; margin: 0 0 4mm 0; }}
.sheet {{ display: flex; flex-wrap: wrap; gap: 3mm; }}
.label {{ width: 44mm; border: 0.2mm dashed #999; padding: 2mm; text-align: center;
  break-inside: avoid; page-break-inside: avoid; }}
.label img {{ width: 32mm; height: auto; }}
.label.linear img {{ width: 42mm; }}
.code {{ font-size: 6.5pt; word-break: break-all; margin-top: 1mm; }}
.name {{ font-size: 8pt; margin-top: 0.5mm; }}
"""


def sheet_html(labels: list[Label], *, title: str) -> str:
    """A print-ready HTML sheet: each symbol as SVG, the code under it, the product name in Chinese."""
    cells = []
    for label in labels:
        svg = base64.b64encode(render(label, Format.SVG)).decode()
        linear = " linear" if label.symbol in (Symbol.GS1_128, Symbol.CODE128) else ""
        cells.append(
            f'<div class="label{linear}"><img src="data:image/svg+xml;base64,{svg}" alt="">'
            f'<div class="code">{html.escape(label.text)}</div>'
            f'<div class="name">{html.escape(label.product_name)}</div></div>'
        )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_SHEET_CSS}</style></head><body>"
        f'<h1>{html.escape(title)}</h1><div class="sheet">{"".join(cells)}</div></body></html>'
    )


def sheet_pdf(document: str, *, compress: bool = True) -> bytes:
    """Print an HTML sheet to PDF with WeasyPrint (imported here: it is slow to import)."""
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=document).write_pdf(uncompressed_pdf=not compress)
    return pdf


# --------------------------------------------------------------------------- services


def code_label(
    conn: Connection, code: str, *, symbol: Symbol, fmt: Format, base_url: str, dl_host: str
) -> Rendered:
    """The label symbol of an issued code (any spelling of it) as SVG or PNG."""
    doc = issuance.code_status(conn, code)
    label = make_label(
        doc["code"],
        CodeScheme(doc["scheme"]),
        symbol,
        product_name=doc["product_name"],
        base_url=base_url,
        dl_host=dl_host,
    )
    return Rendered(render(label, fmt), MEDIA_TYPES[fmt])


def code_sheet(conn: Connection, code: str, *, symbol: Symbol, base_url: str, dl_host: str) -> Rendered:
    """A printable PDF with the one label of an issued code."""
    doc = issuance.code_status(conn, code)
    label = make_label(
        doc["code"],
        CodeScheme(doc["scheme"]),
        symbol,
        product_name=doc["product_name"],
        base_url=base_url,
        dl_host=dl_host,
    )
    document = sheet_html([label], title=f"追溯码标签 Trace-code label — {doc['product_name']}")
    return Rendered(sheet_pdf(document), "application/pdf")


def request_sheet(
    conn: Connection,
    request_id: int,
    *,
    symbol: Symbol,
    base_url: str,
    dl_host: str,
    limit: int = 200,
    offset: int = 0,
    pdf: bool = True,
) -> Rendered:
    """A sheet of the labels of an issued request (a page of its codes, voided codes left out)."""
    request, codes = issuance.codes_of_request(conn, request_id, limit=limit, offset=offset)
    if request["status"] != issuance.RequestStatus.ISSUED:
        raise ValidationFailed(
            f"赋码申请 {request_id} 尚未发放,没有标签", f"code request {request_id} is not issued: no labels"
        )
    scheme = CodeScheme(request["scheme"])
    labels = [
        make_label(
            c.code,
            scheme,
            symbol,
            product_name=request["product_name"],
            base_url=base_url,
            dl_host=dl_host,
        )
        for c in codes
        if c.status != issuance.CodeStatus.VOIDED
    ]
    title = f"追溯码标签 Trace-code labels — {request['product_name']} (#{request_id}, {request['subject']})"
    document = sheet_html(labels, title=title)
    if not pdf:
        return Rendered(document.encode(), "text/html; charset=utf-8")
    return Rendered(sheet_pdf(document), "application/pdf")
