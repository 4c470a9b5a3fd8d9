"""A problem found in submitted data: where, what (a stable code), and why, in Chinese and English.

Every validator in zhuisu reports problems in this one shape, so an enterprise sees the same
(index, path, code, message) whether it used the API, the CLI or a file upload.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a submitted document.

    index: the event's position in the document (0-based), or None for a document-level problem.
    path: a JSON path (``$.epcisBody.eventList[3].bizStep``) or an XPath
        (``/EPCISDocument/EPCISBody/EventList/ObjectEvent[4]/bizStep``) pointing at the offending value.
    code: a stable, machine-readable code (``cbv.unknown_bizstep``); never reworded.
    message_zh / message_en: what is wrong and why, for a person.
    severity: ``error`` (the event is rejected) or ``warning`` (a data-quality finding the
        standard does not make fatal; the event is stored and the finding reported with the job).
    """

    index: int | None
    path: str
    code: str
    message_zh: str
    message_en: str
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def message(self) -> str:
        """Both languages, Chinese first (the UI rule)."""
        return f"{self.message_zh} / {self.message_en}"

    def as_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "path": self.path,
            "code": self.code,
            "message": self.message,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "severity": self.severity,
        }

    def at(self, base: str, *, index: int | None = None, xml: bool = False) -> Problem:
        """This problem re-rooted under a base path (a document's path to the event).

        Validators report paths relative to the event (``bizStep``, ``epcList[2]``); the document
        format knows where the event sits and whether paths are JSON paths or XPaths.
        """
        rel = self.path
        if xml:
            rel = rel.replace(".", "/")
            path = f"{base}/{rel}" if rel else base
        else:
            path = f"{base}.{rel}" if rel and not rel.startswith("[") else f"{base}{rel}"
        return Problem(
            self.index if index is None else index,
            path,
            self.code,
            self.message_zh,
            self.message_en,
            self.severity,
        )
