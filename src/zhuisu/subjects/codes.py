"""Identifying codes for people and programs: ``domain.codes.identify`` with errors in the error tree."""

from __future__ import annotations

from zhuisu.domain.codes import CodeError, Identified, identify
from zhuisu.domain.problem import Problem
from zhuisu.errors import ValidationFailed


def problem_of(exc: CodeError) -> Problem:
    path = "$.code" if exc.position is None else f"$.code[{exc.position}]"
    return Problem(None, path, str(exc.reason), exc.message_zh, exc.message_en)


def check_code(code: str, *, scheme: str | None = None) -> Identified:
    """The identified code, or ValidationFailed whose problem names the reason (code.check_character …)."""
    try:
        return identify(code, scheme=scheme)
    except CodeError as exc:
        raise ValidationFailed(
            f"编码 {code!r} 无效:{exc.message_zh}",
            f"invalid code {code!r}: {exc.message_en}",
            problems=[problem_of(exc)],
        ) from None
