"""Form plumbing: reading posted fields, and placing a service's problems next to their fields.

Services report problems with a path (``$.uscc``, ``$.node_types.0``, a record field's key or its
Chinese name); ``place_problems`` files each one under the form field it names, and keeps the rest
for the top of the form, so every error is shown where the user can act on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from starlette.datastructures import FormData, UploadFile

from zhuisu.domain.problem import Problem


@dataclass(slots=True)
class PlacedProblems:
    by_field: dict[str, list[Problem]] = field(default_factory=dict)
    general: list[Problem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)


def field_of(path: str, aliases: Mapping[str, str]) -> str | None:
    """The form field a problem path names: ``$.a.b`` → ``a``; a known alias → its field."""
    name = path.removeprefix("$").lstrip(".")
    name = name.split(".", 1)[0].split("[", 1)[0]
    return aliases.get(name) or aliases.get(path)


def place_problems(problems: Iterable[Problem], aliases: Mapping[str, str]) -> PlacedProblems:
    placed = PlacedProblems()
    for problem in problems:
        key = field_of(problem.path, aliases)
        if key is None:
            placed.general.append(problem)
        else:
            placed.by_field.setdefault(key, []).append(problem)
    return placed


def text_fields(form: FormData) -> dict[str, str]:
    """The non-empty text fields of a form, stripped (file fields left out)."""
    out: dict[str, str] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile) or key in out:
            continue
        if value.strip():
            out[key] = value.strip()
    return out
