"""What every code scheme shares: the result of identifying a code, the error, and check characters.

A scheme turns a string into an :class:`Identified` — the scheme's name, the code's named parts and
its canonical form — or raises :class:`CodeError` naming the reason in Chinese and English
(wrong length, bad character at position N, bad check character with the expected one, unknown
prefix, a part out of range). Positions are 1-based, as the standards number them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class Reason(StrEnum):
    """Why a code is invalid (stable codes, never reworded)."""

    LENGTH = "code.length"
    CHARACTER = "code.character"
    CHECK = "code.check_character"
    PREFIX = "code.prefix"
    COMPONENT = "code.component"
    UNKNOWN = "code.unknown"
    UNKNOWN_SCHEME = "code.unknown_scheme"


class Check(StrEnum):
    """How far a scheme's integrity can be verified locally."""

    VERIFIED = "verified"  # a check character computed and compared
    NONE = "none"  # the scheme has no check character (structure checked only)
    NOT_COMPUTABLE = "not_computable"  # it has one, but its algorithm is not public (platform-verified)


class CodeError(ValueError):
    """A code that is not valid in the scheme(s) tried, with the reason in Chinese and English.

    ``candidates`` holds the per-scheme errors when several schemes of the same shape were tried.
    """

    def __init__(
        self,
        reason: Reason,
        message_zh: str,
        message_en: str,
        *,
        scheme: str | None = None,
        position: int | None = None,
        expected: str | None = None,
        candidates: tuple[CodeError, ...] = (),
    ) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.reason = reason
        self.message_zh = message_zh
        self.message_en = message_en
        self.scheme = scheme
        self.position = position
        self.expected = expected
        self.candidates = candidates

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "reason": str(self.reason),
            "scheme": self.scheme,
            "message": self.message,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }
        if self.position is not None:
            out["position"] = self.position
        if self.expected is not None:
            out["expected"] = self.expected
        if self.candidates:
            out["candidates"] = [c.as_dict() for c in self.candidates]
        return out


@dataclass(frozen=True, slots=True)
class Identified:
    """A valid code: its scheme, its named parts, its canonical form and how it was checked.

    ``also`` names other schemes the same string is valid in (codes of equal shape, e.g. a 20-digit
    meat & vegetable trace code and a 20-digit drug trace code); pass ``scheme=`` to choose one.
    """

    scheme: str
    parts: Mapping[str, str]
    canonical: str
    check: Check
    also: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", MappingProxyType(dict(self.parts)))

    def with_also(self, also: tuple[str, ...]) -> Identified:
        return Identified(self.scheme, self.parts, self.canonical, self.check, also)

    def as_dict(self) -> dict[str, object]:
        return {
            "scheme": self.scheme,
            "parts": dict(self.parts),
            "canonical": self.canonical,
            "check": str(self.check),
            "also": list(self.also),
        }


@dataclass(frozen=True, slots=True)
class Scheme:
    """A code scheme: stable id, names, where its rules come from and how its check is verified."""

    id: str
    name_zh: str
    name_en: str
    source: str
    check: Check

    @property
    def label(self) -> str:
        return f"{self.name_zh} {self.name_en}"


# --------------------------------------------------------------------------- shared errors


def wrong_length(scheme: Scheme, got: int, expected: str) -> CodeError:
    return CodeError(
        Reason.LENGTH,
        f"{scheme.name_zh}长度应为 {expected} 位,实际 {got} 位",
        f"{scheme.name_en}: wrong length {got}, expected {expected}",
        scheme=scheme.id,
    )


def bad_character(scheme: Scheme, position: int, char: str, allowed: str, allowed_zh: str) -> CodeError:
    return CodeError(
        Reason.CHARACTER,
        f"{scheme.name_zh}第 {position} 位字符 {char!r} 无效,应为{allowed_zh}",
        f"{scheme.name_en}: bad character {char!r} at position {position}, expected {allowed}",
        scheme=scheme.id,
        position=position,
    )


def bad_check(scheme: Scheme, position: int, got: str, expected: str, algorithm: str) -> CodeError:
    return CodeError(
        Reason.CHECK,
        f"{scheme.name_zh}校验码错误:第 {position} 位为 {got!r},应为 {expected!r}({algorithm})",
        f"{scheme.name_en}: bad check character {got!r} at position {position}, "
        f"expected {expected!r} ({algorithm})",
        scheme=scheme.id,
        position=position,
        expected=expected,
    )


def bad_prefix(scheme: Scheme, prefix: str, what_zh: str, what_en: str) -> CodeError:
    return CodeError(
        Reason.PREFIX,
        f"{scheme.name_zh}前缀 {prefix!r} 未知:{what_zh}",
        f"{scheme.name_en}: unknown prefix {prefix!r}: {what_en}",
        scheme=scheme.id,
        position=1,
    )


def bad_component(scheme: Scheme, position: int, zh: str, en: str) -> CodeError:
    return CodeError(
        Reason.COMPONENT,
        f"{scheme.name_zh}第 {position} 位起:{zh}",
        f"{scheme.name_en}: at position {position}: {en}",
        scheme=scheme.id,
        position=position,
    )


DIGITS = "0123456789"
UPPER_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def require_chars(
    scheme: Scheme,
    code: str,
    allowed: str,
    *,
    start: int = 0,
    stop: int | None = None,
    what: str = "a digit",
    what_zh: str = "数字",
) -> None:
    """Raise for the first character of ``code[start:stop]`` outside ``allowed`` (1-based position)."""
    end = len(code) if stop is None else min(stop, len(code))
    for i in range(start, end):
        if code[i] not in allowed:
            raise bad_character(scheme, i + 1, code[i], what, what_zh)


def require_length(scheme: Scheme, code: str, *lengths: int) -> None:
    if len(code) not in lengths:
        raise wrong_length(scheme, len(code), " / ".join(str(n) for n in lengths))


# --------------------------------------------------------------------------- check characters

#: GB 32100-2015 §4 character set of the Unified Social Credit Code: digits and 21 capital
#: letters, without I, O, S, V, Z (31 symbols). zhuisu's platform trace code reuses it.
ALPHABET_31 = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def mod31_check(payload: str) -> str:
    """The mod-31 check character over ALPHABET_31 with weights 3^(i-1) mod 31 (i = 1 … n).

    For 17 characters these are exactly the GB 32100 weights (1, 3, 9, 27, 19, 26 …); zhuisu's
    platform trace code extends the same rule to 21 characters. 31 is prime and every weight is
    non-zero, so every single substitution and every adjacent transposition changes the check.
    """
    total = 0
    weight = 1
    for char in payload:
        total += ALPHABET_31.index(char) * weight
        weight = weight * 3 % 31
    return ALPHABET_31[(31 - total % 31) % 31]


def gb11714_check(payload: str) -> str:
    """Check character of an 8-character organisation code (GB 11714-1997) [recalled].

    Weights 3, 7, 9, 10, 5, 8, 4, 2; characters 0-9 = 0-9, A-Z = 10-35;
    C = 11 - (sum mod 11); 10 → 'X', 11 → '0'.
    """
    total = sum(UPPER_ALNUM.index(c) * w for c, w in zip(payload, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def compact(code: str) -> str:
    """Strip surrounding space and the spaces or hyphens people type inside a code; upper-case it."""
    return "".join(code.split()).replace("-", "").upper()
