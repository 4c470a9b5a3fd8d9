"""Who may capture which events (issue 3: "Capture needs a key; an enterprise or system key may
capture only events whose subject fields are its own subjects, or it gets a 403 that says which
event and field").

The rule, per event, for an enterprise or system principal (subject fields: see domain.parties):

* an identifier *belongs* to a subject when it is the subject's zhuisu URI or party GLN, or one of
  its nodes' zhuisu URI or GLN/SGLN (the filing tables); identifiers of no filed subject belong to
  nobody;
* ``bizLocation`` may not belong to another subject: a principal reports what happens at its own
  places;
* if the event's fields name some subject, at least one of them must be the principal's own (a
  shipment names its receiver as destination, and a receipt its supplier as source: that is fine
  as long as the principal's own side is there too);
* the gray case — fields that name no filed subject at all (or no fields) — is allowed: the event
  is stored with the principal's capture mark, and, when it names no party or location at all,
  with its subjects' URIs too, so it stays visible to them and their regulators.

Admins may capture anything. Regulators may not capture (403): supervision reads and reviews, the
enterprises report. Anonymous callers get a 401 before any of this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection

from zhuisu.access.principals import Principal, Role
from zhuisu.domain.parties import named_parties, principal_uri, subject_uri
from zhuisu.domain.problem import Problem
from zhuisu.errors import Forbidden, Unauthorized
from zhuisu.store import access as store
from zhuisu.store import registries
from zhuisu.store.access import Capturer
from zhuisu.store.events import find_by_event_id


def require_capture_role(principal: Principal) -> None:
    """401 for the public, 403 for regulators; the others may capture (subject check aside)."""
    if principal.role is Role.PUBLIC:
        raise Unauthorized(
            "采集需要 API 密钥(Authorization: Bearer …)",
            "capture needs an API key (Authorization: Bearer …)",
        )
    if principal.role is Role.REGULATOR:
        raise Forbidden(
            "监管部门的凭据不能采集事件,事件由企业或其系统上报",
            "a regulator's credentials cannot capture events: enterprises and their systems report them",
        )


def _event_problem(
    index: int, path: str, field: str, ident: str, owner: str | None, principal: Principal
) -> Problem:
    whose_zh = f"主体 {owner}" if owner else "其他主体"
    whose_en = f"subject {owner}" if owner else "another subject"
    own = ", ".join(principal.subject_keys)
    return Problem(
        index,
        f"{path}.{field}" if path else field,
        "auth.subject_field",
        f"事件 #{index} 的 {field} 为 {ident},属于{whose_zh},不是本凭据的主体({own})",
        f"event #{index}: {field} is {ident}, which belongs to {whose_en}, not to this credential's "
        f"subjects ({own})",
    )


def authorize_capture(
    conn: Connection,
    principal: Principal,
    events: Sequence[Any],
    paths: Sequence[str] = (),
    indices: Sequence[int] = (),
) -> Capturer:
    """Check every event against the principal (see the module docstring) before anything is
    stored; Forbidden (403) listing each refused event by index (``indices[i]`` when given: the
    record an event was made from) and field. Returns what capture records about the capturer."""
    require_capture_role(principal)
    marks = (principal_uri(principal.name),)
    if principal.role is Role.ADMIN:
        return Capturer(marks=marks)
    fields = [named_parties(e) if isinstance(e, Mapping) else None for e in events]
    # only the identifiers these events name are looked up (indexed), never the whole registry
    wanted = {ident for named in fields if named for _, ident in named}
    owners = {ident: h.key for ident, h in registries.holders(conn, wanted).items()}
    mine = set(principal.subject_keys)
    problems: list[Problem] = []
    for position, named in enumerate(fields):
        index = indices[position] if position < len(indices) else position
        if named is None:
            continue  # not an event at all: validation reports it
        path = paths[position] if position < len(paths) else ""
        foreign = [(f, i, owners[i]) for f, i in named if i in owners and owners[i] not in mine]
        own = any(owners.get(i) in mine or i in {subject_uri(k) for k in mine} for _, i in named)
        location = next(((f, i, o) for f, i, o in foreign if f == "bizLocation.id"), None)
        refused = location or (foreign[0] if foreign and not own else None)
        if refused is not None:
            problems.append(_event_problem(index, path, refused[0], refused[1], refused[2], principal))
    if problems:
        first = problems[0]
        raise Forbidden(
            f"{len(problems)} 个事件含有不属于本凭据主体的字段,首个为事件 #{first.index} 的 {first.path}",
            f"{len(problems)} event(s) name subjects that are not this credential's; the first is "
            f"event #{first.index}, {first.path}",
            problems=problems,
        )
    return Capturer(marks=marks, fallback=tuple(subject_uri(k) for k in principal.subject_keys))


def authorize_stored(conn: Connection, principal: Principal, made: Sequence[tuple[int, str]]) -> None:
    """The same check for events a service has just written in the caller's transaction (trace
    records are turned into events inside ``capture.records``): ``made`` is (record index, eventID)
    of each new event. Forbidden (403) lets the caller's transaction roll back, so nothing stays
    stored; otherwise the capturer is recorded on them."""
    require_capture_role(principal)
    docs = [
        orjson.loads(found[0].doc)
        for _, event_id in made
        for found in [find_by_event_id(conn, event_id)]
        if found
    ]
    capturer = authorize_capture(conn, principal, docs, [f"$[{i}]" for i, _ in made], [i for i, _ in made])
    store.mark_captured(conn, capturer, event_ids=[event_id for _, event_id in made])
