"""Code schemes behind one interface: ``identify(code) -> Identified`` or ``CodeError``.

One module per scheme family — ``gs1`` (GTIN, SGTIN, LGTIN, SSCC, GLN, GRAI, GIAI, Digital Link),
``cn_trace`` (MOFCOM node / operator / meat & vegetable trace codes, NMPA drug trace code, the
platform trace code), ``cn_identity`` (USCC, ID card, SC licence), ``cn_equipment`` (special
equipment, cylinders, hazardous chemicals) — and ``registry``, which picks the scheme.
"""

from __future__ import annotations

from zhuisu.domain.codes.base import Check, CodeError, Identified, Reason, Scheme
from zhuisu.domain.codes.registry import BY_LENGTH, SCHEMES, identify

__all__ = ["BY_LENGTH", "SCHEMES", "Check", "CodeError", "Identified", "Reason", "Scheme", "identify"]
