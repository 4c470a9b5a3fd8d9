"""The ``zhuisu`` command: one module per group, each command parses, calls one service, renders."""

from __future__ import annotations

import typer

from zhuisu.cli import bench, capture, demo, keys, query, recall, records, server, subjects, trace

app = typer.Typer(
    name="zhuisu",
    help="zhuisu 追溯 — important-products traceability platform (GS1 EPCIS 2.0 inside).",
    no_args_is_help=True,
    add_completion=False,
)
server.register(app)
capture.register(app)
query.register(app)
trace.register(app)
subjects.register(app)
records.register(app)
recall.register(app)
keys.register(app)
demo.register(app)
app.add_typer(bench.app, name="bench")

if __name__ == "__main__":  # pragma: no cover
    app()
