"""A recall scope as files for people: an Excel workbook and a PDF report with the chain drawn.

The stop-trading instruction a failed test sends downstream (MOFCOM meat & vegetable rules,
检测不合格 → 停止交易指令; reference cn-standards) goes to people at markets and shops: they get a
sheet they can print and a workbook they can sort. Both are rendered from one ``RecallScope``; the
machine-readable forms are its JSON and the EPCIS document of its events (api/routes/recall.py).
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from zhuisu.chain.recall import Holding, RecallScope

#: The CJK font of printed reports (Debian fonts-wqy-microhei, installed by `make`).
CJK_FONT = "WenQuanYi Micro Hei"
#: A drawing with more holdings than this becomes unreadable; the table still lists them all.
MAX_DRAWN = 40
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_HOLDING_HEADERS = (
    ("持有地点 Location", 46),
    ("责任主体 Subject", 34),
    ("批次/物品 Lot / item", 52),
    ("单位 Unit", 8),
    ("收入 Received", 12),
    ("售出 Sold on", 12),
    ("耗用 Used", 12),
    ("仍持有 Still holds", 14),
    ("事件 Events", 60),
)


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """What the report says about itself: a title and when it was made."""

    title: str = "召回范围报告 Recall scope report"
    made_us: int = 0


def _time(us: int | None) -> str:
    if us is None:
        return "—"
    return (_EPOCH + timedelta(microseconds=us)).isoformat(timespec="seconds")


def _row(h: Holding) -> list[object]:
    return [
        h.location or "—",
        h.subject or "—",
        h.identifier,
        h.uom,
        h.received,
        h.sold_on,
        h.used,
        h.still_holds,
        " ".join(h.events),
    ]


def scope_workbook(scope: RecallScope) -> bytes:
    """Three sheets: holdings (still holding first, highlighted), affected lots, events."""
    book = Workbook()
    holdings = book.active
    assert holdings is not None  # a new workbook always has its first sheet
    holdings.title = "持有者 Holdings"
    holdings.append([name for name, _ in _HOLDING_HEADERS])
    for column, (_, width) in enumerate(_HOLDING_HEADERS, start=1):
        holdings.column_dimensions[get_column_letter(column)].width = width
        holdings.cell(1, column).font = Font(bold=True)
    alert = PatternFill("solid", start_color="FDE2E1")
    for h in scope.holdings:
        holdings.append(_row(h))
        if h.still_holds > 0:
            for cell in holdings[holdings.max_row]:
                cell.fill = alert
    holdings.freeze_panes = "A2"
    lots = book.create_sheet("批次 Lots")
    lots.append(["标识 Identifier", "类型 Kind", "召回源头 Recalled"])
    seeds = set(scope.identifiers)
    for node, kind in scope.lots:
        lots.append([node, str(kind), "是 yes" if node in seeds else ""])
    lots.column_dimensions["A"].width = 70
    events = book.create_sheet("事件 Events")
    events.append(["eventID"])
    for event_id in scope.events:
        events.append([event_id])
    events.column_dimensions["A"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def chain_svg(scope: RecallScope) -> str:
    """The recalled lots → affected lots → holders, as an SVG drawing (still-holding holders in red)."""
    drawn = scope.holdings[:MAX_DRAWN]
    lots = list(dict.fromkeys(h.identifier for h in drawn))
    holders = list(dict.fromkeys((h.location or "—", h.subject or "") for h in drawn))
    holding_now = {(h.location or "—", h.subject or "") for h in drawn if h.still_holds > 0}
    seeds = set(scope.identifiers)
    row_h, width = 26, 760
    height = max(len(lots), len(holders), 1) * row_h + 40
    lot_y = {lot: 30 + i * row_h for i, lot in enumerate(lots)}
    holder_y = {holder: 30 + i * row_h for i, holder in enumerate(holders)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{CJK_FONT}" font-size="10">',
        '<text x="10" y="16" font-weight="bold">批次/物品 Lots</text>',
        '<text x="430" y="16" font-weight="bold">持有者 Holders</text>',
    ]
    for h in drawn:
        y1, y2 = lot_y[h.identifier], holder_y[(h.location or "—", h.subject or "")]
        colour = "#c62828" if h.still_holds > 0 else "#9e9e9e"
        parts.append(f'<line x1="330" y1="{y1}" x2="430" y2="{y2}" stroke="{colour}" stroke-width="1.2"/>')
    for lot, y in lot_y.items():
        fill = "#fde2e1" if lot in seeds else "#eef3fb"
        parts.append(_box(10, y, fill))
        parts.append(f'<text x="16" y="{y + 4}">{html.escape(_short(lot, 58))}</text>')
    for holder, y in holder_y.items():
        fill = "#c62828" if holder in holding_now else "#ffffff"
        ink = "#ffffff" if holder in holding_now else "#222222"
        label = holder[0] if not holder[1] else f"{holder[0]} · {holder[1]}"
        parts.append(_box(430, y, fill))
        parts.append(f'<text x="436" y="{y + 4}" fill="{ink}">{html.escape(_short(label, 58))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _box(x: int, y: int, fill: str) -> str:
    return f'<rect x="{x}" y="{y - 10}" width="320" height="20" rx="3" fill="{fill}" stroke="#5c6b7a"/>'


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


def scope_html(scope: RecallScope, info: ReportInfo) -> str:
    """The report as one HTML page (printed to PDF by ``scope_pdf``)."""
    holding = [h for h in scope.holdings if h.still_holds > 0]
    rows = "".join(
        "<tr{cls}>{cells}</tr>".format(
            cls=' class="hold"' if h.still_holds > 0 else "",
            cells="".join(f"<td>{html.escape(str(v))}</td>" for v in _row(h)[:8]),
        )
        for h in scope.holdings
    )
    heads = "".join(f"<th>{html.escape(name)}</th>" for name, _ in _HOLDING_HEADERS[:8])
    more = len(scope.holdings) - MAX_DRAWN
    note = f"<p>图中显示前 {MAX_DRAWN} 项,另 {more} 项见下表 (first {MAX_DRAWN} drawn; {more} more below)</p>"
    window = (
        "全部时间 all time"
        if scope.since_us is None and scope.until_us is None
        else f"{_time(scope.since_us)} ~ {_time(scope.until_us)}"
    )
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 14mm; }}
body {{ font-family: "{CJK_FONT}", sans-serif; font-size: 9pt; color: #222; }}
h1 {{ font-size: 15pt; margin: 0 0 4pt; }}
table {{ border-collapse: collapse; width: 100%; margin-top: 8pt; }}
th, td {{ border: 0.5pt solid #999; padding: 2pt 4pt; text-align: left; word-break: break-all; }}
th {{ background: #eef3fb; }}
tr.hold td {{ background: #fde2e1; }}
.summary span {{ margin-right: 14pt; }}
</style></head><body>
<h1>{html.escape(info.title)}</h1>
<p class="summary"><span>召回标识 Recalled: {html.escape(", ".join(scope.identifiers))}</span>
<span>生成时间 Made: {_time(info.made_us)}</span><span>时间窗口 Window: {window}</span></p>
<p class="summary"><span>受影响批次/物品 Affected lots: {len(scope.lots)}</span>
<span>持有者 Holders: {len(scope.holders)}</span>
<span>仍持有 Still holding: {len({(h.location, h.subject) for h in holding})}</span>
<span>事件 Events: {len(scope.events)}</span></p>
<p>红色:仍持有,应立即停止交易 (red: still holding — stop trading now).</p>
{chain_svg(scope)}
{note if more > 0 else ""}
<table><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>
</body></html>"""


def scope_pdf(scope: RecallScope, info: ReportInfo, *, compress: bool = True) -> bytes:
    """The report printed to PDF by WeasyPrint (imported here: it is slow to import)."""
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=scope_html(scope, info)).write_pdf(uncompressed_pdf=not compress)
    return pdf
