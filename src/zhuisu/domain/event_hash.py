"""The EPCIS Event Hash ID (CBV 2.0 §8.9): a fingerprint of an event, the same in XML and JSON.

zhuisu keys stored events by this ID, so a re-sent event is recognised as a duplicate whatever
syntax, identifier spelling, time zone or list order it arrives in, and so that another platform
computing the ID for the same event gets the same value. The ID is
``ni:///sha-256;{hex digest of the UTF-8 pre-hash string}?ver=CBV2.0`` (RFC 6920; CBV 2.0 §8.9
rules 22-24).

Algorithm (CBV 2.0 §8.9 and the algorithm description of the GS1 reference implementation,
github.com/RalphTro/epcis-event-hash-generator, "the oracle" below; rule numbers are its README's):

1. The pre-hash string starts ``eventType={type}`` and concatenates ``key=value`` pieces with no
   separator (rules 1-4). Fields that are absent or empty add nothing.
2. Fields are taken in the canonical property order (rule 1 table): eventTime, eventTimeZoneOffset,
   certificationInfo, parentID, epcList, inputEPCList, childEPCs, quantityList, childQuantityList,
   inputQuantityList, outputEPCList, outputQuantityList, action, transformationID, bizStep,
   disposition, persistentDisposition (set, unset), readPoint (id), bizLocation (id),
   sensorElementList (sensorMetadata: time … bizRules; sensorReport: type … coordinateReferenceSystem).
   A list's name appears once, followed by its items (``epcList`` ``epc=…`` ``epc=…``); a quantity
   element is ``quantityElement`` + epcClass, quantity, uom (rules 11-12).
3. Values are trimmed (rule 5). Times — fields whose name contains "time" but not "offset" — are
   written in UTC with ``Z`` and exactly three fraction digits, rounded half-to-even to the
   millisecond (rules 8-9). Numbers lose a leading ``+``, leading zeros and trailing zeros (``200.0``
   → ``200``, rules 6-7).
4. CBV values are written as Web URIs: bare words of bizStep, disposition, persistentDisposition,
   bizTransaction / source / destination types and sensor components expand to
   ``https://ref.gs1.org/cbv/{BizStep|Disp|BTT|SDT|Comp}-{word}``, and EPCIS 1.x URNs
   (``urn:epcglobal:cbv:…``) anywhere are rewritten to the same (rules 14, 16). Sensor measurement
   types and alert types expand to ``https://gs1.org/voc/{word}``. CURIEs whose prefix is declared
   (and gs1:, cbv:, epcis:) are expanded (rule 15).
5. Every value that is a GS1 key — EPC URN, class URN, pattern URI or Digital Link on any host — is
   replaced by its constrained canonical Digital Link (rules 17-18), see :mod:`zhuisu.domain.epc`.
6. Items of a list, and the pieces at one level, are sorted by code point (rules 10-12). Business
   transactions, sources and destinations are written ``type=…`` then the value, and those pairs
   are sorted (rule 13).
7. recordTime, eventID and errorDeclaration are not hashed (EPCIS 2.0 §7.4.1.4 / CBV §8.9: they
   are not part of what happened). JSON-LD ``@context``, ``comment`` / ``rdfs:comment`` and XML
   Schema instance attributes (``xsi:type``) are not event data either.
8. Everything else — ilmd, user extensions, business transaction / source / destination lists and
   whatever parts of standard fields were not consumed above — follows as one sorted list of
   pieces, each written ``{name}={value}`` with nested children appended; an extension element's
   name is ``{namespace IRI}localName`` (rules 19-21). XML attributes (``@prefix:name`` keys of the
   canonical form) are written like child elements, as the oracle does for XML input.
9. Extensions inside readPoint, bizLocation, sensorElement, sensorMetadata and sensorReport are
   appended right after their parent's standard fields (rule 21) — exactly when the oracle does so:
   when the namespace IRI ends in ``/`` and the parent has more than one child; otherwise they
   join the sorted list of step 8 under their parent's name.

Steps 8 and 9 reproduce what the oracle actually computes rather than the literal property table
(which would place bizTransactionList, sourceList and destinationList before sensorElementList and
ilmd before the other extensions): an Event Hash ID is only useful if the other side computes the
same value, and GS1's published hashes come from the oracle.

Known deviations from the oracle (epcis-event-hash-generator 1.9.3), each where the oracle
contradicts the algorithm's own requirement that XML and JSON of one event hash alike, or fails:

* D1 JSON booleans: the oracle writes Python's ``True``; we write ``true``, the XML Schema lexical
  form, which the oracle itself produces from XML.
* D2 CURIE values (rule 15): ``gs1:``, ``cbv:`` and ``epcis:`` always, and the prefixes the document
  declares, in JSON and XML alike. The oracle expands the first three only from XML
  (``"type": "gs1:Temperature"`` in JSON stays as written) and declared prefixes only from JSON.
* D3 ``xsi:type`` and other XML Schema instance attributes are ignored; the oracle hashes them, so
  GS1's own example pair event_with_identical_hash_id_1.xml / _6.xml (which differ only by an
  explicit ``xsi:type="xsd:string"``) and the JSON twin _7.json get different IDs there.
* D4 numbers with more than 15 significant digits, and integers past 2**53 however many of their
  digits are zeros, keep all their digits; the oracle rounds them through a binary float, so two
  different long numeric codes (31011500100010000000 and 31011500100010000384) could share an ID.
* D5 inputs the oracle rejects or crashes on are hashed all the same: a business transaction
  without a type, ``inf`` values, a time that rounds up to the next second, a time without offset
  (taken as UTC; the oracle uses the machine's zone); JSON ``null`` counts as absent.
* D6 extension names ending in ``List`` inside JSON, which the oracle's JSON reader splits as if
  they were standard lists, are kept as written (what its XML reader does).
* D7 GS1 keys are recognised a little more widely: Digital Links with key qualifiers in another
  order, with percent-encoded characters, an upper-case scheme or host, or a fragment; GRAI URNs
  and GRAI / GDTI patterns with a 12-digit company prefix (the oracle's patterns miss them);
  ``/254/0`` means "no extension" in a Digital Link as in an SGLN URN. A Digital Link with a
  wrong check digit is hashed as written (the oracle canonicalises it without checking).
* D8 value-level heuristics of the oracle are not copied: it expands a bare word anywhere in a JSON
  document when the same word is a CBV value elsewhere in it; we expand CBV words in their own
  fields only.

GS1's example set examples/xml/WithEventHashID says all seven events are the same event; event 2
differs from event 1 by its eventTimeZoneOffset (-05:00 instead of -06:00), which the algorithm
hashes (property 3), so it legitimately gets another ID. The other six agree here.

EPCIS 1.2 XML is hashed as the 2.0 event it is read into (``capture/formats/epcis12_xml``): GS1's
1.2 spelling ``sensorMetaData`` counts as ``sensorMetadata``, and unqualified content of 1.2
``extension`` wrappers, which the reader ignores, is not hashed.

Speed: capture hashes every event, so the common shape (string fields, identifier lists, plain
quantities, ``{"id": …}`` locations, type/value pairs, scalar extensions) takes a flat fast path;
anything else takes the general one. Both give the same string (a property test checks it).
Normalised scalar values and time-zone conversions per minute are memoised in bounded dicts, and
an :class:`EventHasher` (one per set of namespace prefixes) remembers per document what each event
key is and what each raw value normalises to.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from zhuisu.domain.prehash import CBV_WEB_PREFIX, HASH_VERSION, _Hasher, utc_millis
from zhuisu.domain.prehash_fast import FastPrehasher, _fast_prehash

__all__ = [
    "CBV_WEB_PREFIX",
    "HASH_VERSION",
    "EventHasher",
    "_Hasher",
    "_fast_prehash",
    "event_hash",
    "hasher_for",
    "prehash_string",
    "utc_millis",
]


_MAX_NAMES = 10_000


class EventHasher:
    """Event Hash IDs of the events of one document: its namespace prefixes, and the memos of the
    fast path (event keys and values recur from event to event, see ``domain.prehash_fast``)."""

    __slots__ = ("_fast", "_general", "namespaces")

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self.namespaces = namespaces
        self._fast = FastPrehasher(namespaces)
        self._general: _Hasher | None = None

    def prehash_string(self, event: Mapping[str, Any]) -> str:
        """The canonical pre-hash string of a canonical event (CBV 2.0 §8.9 rules 1-21)."""
        fast = self._fast.prehash(event)
        if fast is not None:
            return fast
        general = self._general
        if general is None or len(general.names) > _MAX_NAMES:  # its name memo is unbounded
            general = self._general = _Hasher(self.namespaces)
        return general.event(event)

    def event_hash(self, event: Mapping[str, Any]) -> str:
        """The EPCIS Event Hash ID: ``ni:///sha-256;{hex}?ver=CBV2.0`` (CBV 2.0 §8.9 rules 22-24)."""
        digest = hashlib.sha256(self.prehash_string(event).encode()).hexdigest()
        return f"ni:///sha-256;{digest}?ver={HASH_VERSION}"


# The hasher of the namespaces last asked for, with its own copy of them: successive calls for
# the events of one document share its memos; other namespaces (or the same dict changed since)
# get a new one.
_recent: list[tuple[dict[str, str], EventHasher]] = []


def hasher_for(namespaces: Mapping[str, str]) -> EventHasher:
    """An EventHasher for ``namespaces``: the last one made when they are unchanged."""
    for own, hasher in _recent:
        if own == namespaces:
            return hasher
    own = dict(namespaces)
    hasher = EventHasher(own)
    _recent[:] = [(own, hasher)]
    return hasher


def prehash_string(event: Mapping[str, Any], namespaces: Mapping[str, str]) -> str:
    """The canonical pre-hash string of a canonical event (CBV 2.0 §8.9 rules 1-21).

    ``namespaces`` maps the prefixes of the event's extension keys (``prefix:local`` and, from XML,
    ``@prefix:local``) to their namespace IRIs, as declared by the document.
    """
    return hasher_for(namespaces).prehash_string(event)


def event_hash(event: Mapping[str, Any], namespaces: Mapping[str, str]) -> str:
    """The EPCIS Event Hash ID: ``ni:///sha-256;{hex}?ver=CBV2.0`` (CBV 2.0 §8.9 rules 22-24)."""
    return hasher_for(namespaces).event_hash(event)
