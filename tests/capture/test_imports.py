"""CSV (UTF-8, UTF-8 with BOM, GBK / GB18030) and Excel import of records; idempotent re-import."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, func, select

from zhuisu.capture import records
from zhuisu.capture.imports import header_of, read_table
from zhuisu.domain.templates import STEPS
from zhuisu.errors import ValidationFailed
from zhuisu.store.tables import events

STEP = "pork.wholesale.entry"


def rows(n: int, *, bad: dict[int, tuple[str, str]] | None = None) -> tuple[list[str], list[list[str]]]:
    """A header (Chinese, required marked *) and n rows of wholesale entries; ``bad`` overrides cells."""
    fields = STEPS[STEP].fields
    headers = [header_of(sf.required, sf.field.zh) for sf in fields]
    out = []
    for i in range(n):
        row = {sf.field.key: sf.field.example for sf in fields}
        row["trace_code"] = f"370600004000{i:08d}"
        if bad and i in bad:
            key, value = bad[i]
            row[key] = value
        out.append([row[sf.field.key] for sf in fields])
    return headers, out


def csv_bytes(headers: list[str], body: list[list[str]], encoding: str) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([headers, *body])
    return text.getvalue().encode(encoding)


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(events)).scalar_one())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_detected(encoding: str) -> None:
    headers, body = rows(2)
    table = read_table(csv_bytes(headers, body, encoding))
    expected = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030", "gb18030": "gb18030"}
    assert table.encoding == expected[encoding]
    assert table.headers == headers and [n for n, _ in table.rows] == [2, 3]
    assert table.rows[0][1]["*批发商"] == "烟台某肉类批发商"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_with_bad_rows_imports_nothing_and_names_rows(engine: Engine, encoding: str) -> None:
    headers, body = rows(5, bad={1: ("weight_kg", "很重"), 3: ("trace_code", "123"), 4: ("wholesaler", "")})
    data = csv_bytes(headers, body, encoding)
    with pytest.raises(ValidationFailed) as info, engine.begin() as conn:
        records.import_file(conn, data, step=STEP)
    found = [(p.index, p.path, p.code) for p in info.value.problems]
    assert found == [
        (3, "*重量", "record.invalid_number"),
        (5, "*追溯码", "record.invalid_code"),
        (6, "批发商", "record.missing_field"),
    ]
    assert count(engine) == 0
    with engine.begin() as conn:
        kept = records.import_file(conn, data, step=STEP, keep_good=True)
    assert (kept.inserted, kept.rejected, len(kept.problems)) == (2, 3, 3)
    assert count(engine) == 2


def test_reimport_is_idempotent(engine: Engine) -> None:
    data = csv_bytes(*rows(20), "utf-8")
    with engine.begin() as conn:
        first = records.import_file(conn, data, step=STEP)
    with engine.begin() as conn:
        second = records.import_file(conn, data, step=STEP)
    assert (first.inserted, first.duplicates) == (20, 0)
    assert (second.inserted, second.duplicates) == (0, 20)
    assert [r.event_id for r in second.records] == [r.event_id for r in first.records]
    assert count(engine) == 20


def test_step_column_and_missing_step(engine: Engine) -> None:
    headers, body = rows(1)
    with engine.begin() as conn:
        result = records.import_file(conn, csv_bytes(["环节", *headers], [[STEP, *body[0]]], "utf-8"))
    assert result.inserted == 1
    with pytest.raises(ValidationFailed) as info, engine.begin() as conn:
        records.import_file(conn, csv_bytes(headers, body, "utf-8"))
    assert info.value.problems[0].code == "record.missing_step"


def filled_workbook(n: int, bad_row: int | None = None) -> bytes:
    """The downloadable workbook, filled in as a user would (with openpyxl)."""
    book = openpyxl.load_workbook(io.BytesIO(records.step_workbook(STEP)))
    sheet = book[STEP]
    _, body = rows(n, bad={bad_row: ("quarantine_cert_no", "")} if bad_row is not None else None)
    for number, r in enumerate(body, start=2):  # typed into rows 2, 3 … under the header
        for col, value in enumerate(r, start=1):
            sheet.cell(row=number, column=col, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_workbook_read_back() -> None:
    book = openpyxl.load_workbook(io.BytesIO(records.step_workbook("pork.wholesale.test")))
    assert book.sheetnames == ["pork.wholesale.test", "示例 example", "说明 fields"]
    sheet = book["pork.wholesale.test"]
    headers = [c.value for c in sheet[1]]
    assert "*检测结果" in headers and "*追溯码" in headers
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert lists == ['"合格,不合格"']
    example = book["示例 example"]
    assert [c.value for c in example[1]] == headers
    assert [c.value for c in example[2]][headers.index("*检测结果")] == "合格"


def test_excel_import_and_reimport(engine: Engine) -> None:
    data = filled_workbook(3, bad_row=1)
    with pytest.raises(ValidationFailed) as info, engine.begin() as conn:
        records.import_file(conn, data, filename="entries.xlsx")
    assert [(p.index, p.code) for p in info.value.problems] == [(3, "record.missing_field")]
    good = filled_workbook(3)
    with engine.begin() as conn:
        result = records.import_file(conn, good, filename="entries.xlsx")
    assert (result.inserted, result.source["format"]) == (3, "xlsx")
    with engine.begin() as conn:
        assert records.import_file(conn, good).duplicates == 3
    assert count(engine) == 3


def test_excel_numbers_and_dates(engine: Engine) -> None:
    book = openpyxl.load_workbook(io.BytesIO(records.step_workbook("veg.retail.sale")))
    sheet = book["veg.retail.sale"]
    from datetime import datetime

    headers = [c.value for c in sheet[1]]
    row: dict[str, Any] = {
        "*追溯码": 37060000400010000003,
        "*时间": datetime(2026, 5, 1, 9, 30),
        "*主体代码": "91350100M000100Y43",
        "*品种": "番茄",
        "*重量": 2.5,
    }
    for col, h in enumerate(headers, start=1):
        sheet.cell(row=2, column=col, value=row.get(h))
    out = io.BytesIO()
    book.save(out)
    with engine.begin() as conn:
        result = records.import_file(conn, out.getvalue())
    assert result.inserted == 1 and result.records[0].quality < 100


def test_unreadable_files() -> None:
    with pytest.raises(ValidationFailed):
        read_table(b"")
    with pytest.raises(ValidationFailed):
        read_table(b"PK\x03\x04 not really a workbook", "x.xlsx")
