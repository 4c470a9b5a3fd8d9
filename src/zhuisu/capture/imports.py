"""Reading record files (CSV, .xlsx) into rows, and writing the import workbook of a template step.

CSV encodings (our rule [I]): a UTF-8 byte-order mark means UTF-8; otherwise UTF-8 when the bytes
are valid UTF-8; otherwise GB18030, the superset of GBK and GB2312 that Chinese spreadsheet
programs write ("ANSI" on a Chinese Windows). Excel files are read with python-calamine, written
with openpyxl. Rows keep the number a spreadsheet shows (header = row 1); blank rows are skipped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook

from zhuisu.domain.problem import Problem
from zhuisu.domain.templates import Step, ValueKind
from zhuisu.errors import ValidationFailed

XLSX_MAGIC = b"PK\x03\x04"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_ROWS = 1000  # rows of the import sheet that get the drop-down lists


@dataclass(slots=True)
class Table:
    """The rows of a file: (row number, {header: value}) plus how the file was read."""

    format: str
    encoding: str | None
    sheet: str | None
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def read_table(data: bytes, filename: str | None = None) -> Table:
    if data.startswith(XLSX_MAGIC) or (filename or "").lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise _unreadable(
            "无法识别文件编码(支持 UTF-8、带 BOM 的 UTF-8、GBK/GB18030)",
            f"cannot read the file's encoding (UTF-8, UTF-8 with BOM, GBK / GB18030 are supported): {exc}",
        ) from None


def _read_csv(data: bytes) -> Table:
    text, encoding = decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    return _table("csv", encoding, None, [list(r) for r in reader])


def _read_xlsx(data: bytes) -> Table:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = book.sheet_names[0]
        cells = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, IndexError, ValueError) as exc:
        raise _unreadable("无法读取 Excel 文件", f"cannot read the Excel file: {exc}") from None
    return _table("xlsx", None, name, [list(r) for r in cells])


def _table(fmt: str, encoding: str | None, sheet: str | None, cells: list[list[Any]]) -> Table:
    if not cells:
        raise _unreadable("文件是空的", "the file is empty")
    headers = [str(h).strip() for h in cells[0]]
    while headers and not headers[-1]:
        headers.pop()
    table = Table(fmt, encoding, sheet, headers)
    for offset, row in enumerate(cells[1:], start=2):
        values = {h: row[i] for i, h in enumerate(headers) if h and i < len(row) and _filled(row[i])}
        if values:
            table.rows.append((offset, values))
    return table


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _unreadable(zh: str, en: str) -> ValidationFailed:
    return ValidationFailed(zh, en, problems=[Problem(None, "", "import.unreadable", zh, en)])


def header_of(required: bool, zh: str) -> str:
    """The column header of a field: its Chinese name, ``*`` in front when it is required."""
    return f"*{zh}" if required else zh


def workbook_for(step: Step) -> bytes:
    """The import workbook of a step: an entry sheet (named by the step id) with Chinese headers and
    drop-down lists, a sheet with an example row, and a sheet describing every field."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = step.id[:31]
    headers = [header_of(sf.required, sf.field.zh) for sf in step.fields]
    sheet.append(headers)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for col, sf in enumerate(step.fields, start=1):
        cell = sheet.cell(row=1, column=col)
        cell.font = bold
        if sf.required:
            cell.fill = fill
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = max(12, 2 * len(sf.field.zh) + 4)
        if sf.field.kind is ValueKind.CHOICE:
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(sf.field.choices) + '"',
                allow_blank=not sf.required,
                showErrorMessage=True,
                errorTitle="无效的值 invalid value",
                error=f"请从下拉列表中选择 / choose from the list: {'、'.join(sf.field.choices)}",
            )
            rule.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(rule)
        if sf.field.kind in (ValueKind.CODE, ValueKind.TEXT, ValueKind.PARTY):
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=col).number_format = "@"  # keep long codes as text
    sheet.freeze_panes = "A2"
    example = book.create_sheet("示例 example")
    example.append(headers)
    example.append([sf.field.example for sf in step.fields])
    guide = book.create_sheet("说明 fields")
    guide.append(
        [
            "字段 field",
            "键 key",
            "English",
            "必填 required",
            "类型 kind",
            "可选值 choices",
            "写入事件 maps to",
            "依据 evidence",
            "来源 source",
        ]
    )
    for sf in step.fields:
        spec = sf.field
        target = f"zs:{spec.extension}" if spec.extension else str(spec.target)
        guide.append(
            [
                spec.zh,
                spec.key,
                spec.en,
                "是 yes" if sf.required else "否 no (影响数据质量分)",
                str(spec.kind),
                "、".join(spec.choices),
                f"{spec.target} / {target}",
                str(sf.evidence),
                sf.source or step.source,
            ]
        )
    guide.append([])
    guide.append([f"环节 step: {step.id} {step.zh} / {step.en}"])
    guide.append(
        [
            f"EPCIS: {step.event_type} {step.action or ''} bizStep={step.biz_step} "
            f"disposition={step.disposition or ''}"
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
