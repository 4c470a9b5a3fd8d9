"""zhuisu validate / hash / capture: checking files before upload, and loading them."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from zhuisu.capture import jobs
from zhuisu.capture.files import read_document
from zhuisu.capture.service import ErrorBehaviour, hash_events, validate
from zhuisu.cli.common import DbOption, console, engine_for, err_console, settings_for
from zhuisu.domain.problem import Problem
from zhuisu.store import migrate

Files = Annotated[
    list[Path],
    typer.Argument(exists=True, dir_okay=False, readable=True, help="EPCIS documents (.json, .jsonld, .xml)"),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def _problem_dict(p: Problem) -> dict[str, object]:
    return {"index": p.index, "path": p.path, "code": p.code, "message": p.message, "severity": p.severity}


def _print_problem(p: dict[str, object]) -> None:
    colour = "red" if p["severity"] == "error" else "yellow"
    label = "错误 error" if p["severity"] == "error" else "警告 warning"
    console.print(f"    [{colour}]{label}[/{colour}] #{p['index']} {p['path']} [{p['code']}] {p['message']}")


def validate_files(files: Files, json: JsonFlag = False) -> None:
    """Check EPCIS documents without storing them; exit 0 only if every file is valid. 校验文件。"""
    reports = []
    for path in files:
        doc = read_document(path)
        problems = validate(doc)
        reports.append(
            {
                "file": str(path),
                "ok": not any(p.is_error for p in problems),
                "events": len(doc.events),
                "problems": [_problem_dict(p) for p in problems],
            }
        )
    if json:
        typer.echo(orjson.dumps(reports, option=orjson.OPT_INDENT_2).decode())
    else:
        for report in reports:
            mark = "[green]✓ 有效 valid[/green]" if report["ok"] else "[red]✗ 无效 invalid[/red]"
            console.print(f"{mark} {report['file']} ({report['events']} 个事件 events)")
            for p in report["problems"]:  # type: ignore[attr-defined]
                _print_problem(p)
    if not all(r["ok"] for r in reports):
        raise typer.Exit(code=1)


def hash_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)], json: JsonFlag = False
) -> None:
    """Print the EPCIS event hash ID of each event, in document order. 计算事件哈希。"""
    doc = read_document(file)
    if doc.problems:
        for p in doc.problems:
            err_console.print(f"[red]✗[/red] {p.path} [{p.code}] {p.message}")
        raise typer.Exit(code=1)
    rows = hash_events(doc)
    if json:
        out = [
            {
                "index": i,
                "eventID": given,
                "hash": digest,
                **({"problems": [_problem_dict(p) for p in problems]} if problems else {}),
            }
            for i, given, digest, problems in rows
        ]
        typer.echo(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode())
    else:
        for i, _given, digest, problems in rows:
            console.print(f"{i}\t{digest or '-'}")
            for p in problems:
                err_console.print(f"    {p.path} [{p.code}] {p.message}")
    if any(p.is_error for *_, problems in rows for p in problems):
        raise typer.Exit(code=1)


def capture_files(
    files: Files,
    db: DbOption = None,
    error_behaviour: Annotated[
        ErrorBehaviour,
        typer.Option(
            "--error-behaviour", help="rollback: all or nothing per file; proceed: keep the valid events."
        ),
    ] = ErrorBehaviour.ROLLBACK,
    json: JsonFlag = False,
) -> None:
    """Capture EPCIS documents into the database, one capture job per file. 导入文件。"""
    settings = settings_for(db)
    reports = []
    with (
        engine_for(db) as engine,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err_console,
            disable=json,
        ) as progress,
    ):
        migrate.upgrade(engine)
        for path in files:
            doc = read_document(path)
            if doc.problems:
                reports.append(
                    {
                        "file": str(path),
                        "success": False,
                        "inserted": 0,
                        "duplicates": 0,
                        "problems": [_problem_dict(p) for p in doc.problems],
                    }
                )
                continue
            task = progress.add_task(path.name, total=len(doc.events))
            job = jobs.start(engine, error_behaviour=error_behaviour, doc=doc)
            result = jobs.run_job(
                engine,
                job,
                doc,
                batch_size=settings.capture_batch_size,
                progress=partial(progress.advance, task),
            )
            reports.append(
                {
                    "file": str(path),
                    "captureID": job.id,
                    "success": result.success,
                    "inserted": result.inserted,
                    "duplicates": result.duplicates,
                    "problems": [_problem_dict(p) for p in result.problems],
                    "warnings": [_problem_dict(p) for p in result.warnings],
                }
            )
    if json:
        typer.echo(orjson.dumps(reports, option=orjson.OPT_INDENT_2).decode())
    else:
        for r in reports:
            mark = "[green]✓[/green]" if r["success"] else "[red]✗[/red]"
            console.print(
                f"{mark} {r['file']}: 新增 inserted {r['inserted']}, 重复 duplicates {r['duplicates']}"
            )
            for p in [*r["problems"], *r.get("warnings", [])]:  # type: ignore[misc]
                _print_problem(p)
    if not all(r["success"] for r in reports):
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_files)
    app.command("hash")(hash_file)
    app.command("capture")(capture_files)
