"""What the chain page shows: a trace back and forward as a timeline and a graph of lots, places
and subjects (issue 5: 来源可查、去向可追、责任可究), with uncertain links marked as such.

Links below full confidence are the candidate links chain synthesis keeps where the data cannot
decide (commingled lots, a pick from a slot holding several lots); the page shows them dashed,
with their confidence and reason, never as certain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Connection

from zhuisu.chain.service import Direction, TraceEdge, TraceResult, trace
from zhuisu.domain.templates import STEPS
from zhuisu.web.consumer_view import SubjectNames, event_extensions
from zhuisu.web.names import biz_step_name

#: the order node kinds are listed in, from things to where and who
KIND_ORDER = (
    "item",
    "lot",
    "trace_code",
    "batch",
    "container",
    "transaction",
    "transformation",
    "other",
    "location",
    "subject",
)


@dataclass(frozen=True, slots=True)
class ChainStep:
    event_id: str
    time: str
    step_zh: str
    step_en: str
    place: str | None
    subject: str | None
    subject_name: str | None
    identifiers: tuple[str, ...]
    # a step the viewer may not see (issue 3): only the kind of its holder, in which region
    hidden_zh: str | None = None
    hidden_en: str | None = None


@dataclass(slots=True)
class ChainView:
    identifier: str
    direction: Direction
    steps: list[ChainStep] = field(default_factory=list)
    groups: list[tuple[str, list[str]]] = field(default_factory=list)  # node kind → node ids
    links: list[TraceEdge] = field(default_factory=list)  # between things (not the holding edges)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def uncertain(self) -> int:
        return sum(1 for e in self.links if e.confidence < 1.0)


def chain_view(
    conn: Connection,
    identifier: str,
    direction: Direction,
    visibility: ColumnElement[bool] | None = None,
) -> ChainView:
    """Trace ``identifier`` as ``visibility`` lets the viewer see it (what it may not see stays
    in the chain as an opaque hop) and name its steps and subjects; NotFound / ValidationFailed
    pass through."""
    result: TraceResult = trace(conn, identifier, direction=direction, visibility=visibility)
    names = SubjectNames(conn)
    names.load(step.subject for step in result.steps)
    docs = event_extensions(conn, result)
    view = ChainView(result.identifier, direction)
    for step in result.steps:
        template = STEPS.get(str(docs.get(step.event_id, {}).get("template") or ""))
        hidden = step.opaque or {}
        view.steps.append(
            ChainStep(
                step.event_id,
                step.event_time,
                template.zh if template else biz_step_name(step.biz_step),
                template.en if template else (step.biz_step or ""),
                step.biz_location or step.read_point,
                step.subject,
                names(step.subject),
                step.identifiers,
                hidden.get("description_zh"),
                hidden.get("description_en"),
            )
        )
    by_kind: dict[str, list[str]] = {}
    for node in result.nodes:
        by_kind.setdefault(str(node.kind), []).append(node.id)
        if str(node.kind) == "subject" and (name := names(node.id)):
            view.names[node.id] = name
    view.groups = [(k, by_kind[k]) for k in KIND_ORDER if k in by_kind]
    view.links = [e for e in result.edges if e.kind not in ("at", "held_by")]
    return view
