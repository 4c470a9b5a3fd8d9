"""The role an identifier plays in an event, as stored in link rows and walked by the chain.

EPCIS 2.0 §7.3.3 / §7.4: instance-level identifiers (epcList, parentID, childEPCs, inputEPCList,
outputEPCList) and class-level ones (the epcClass of each QuantityElement in quantityList,
childQuantityList, inputQuantityList, outputQuantityList). Codes are stable: they are stored.
"""

from __future__ import annotations

from enum import IntEnum


class IdRole(IntEnum):
    EPC = 1  # ObjectEvent / TransactionEvent epcList
    PARENT = 2  # AggregationEvent / TransactionEvent / AssociationEvent parentID
    CHILD = 3  # childEPCs
    INPUT = 4  # TransformationEvent inputEPCList
    OUTPUT = 5  # TransformationEvent outputEPCList
    CLASS = 11  # quantityList[].epcClass
    CHILD_CLASS = 13  # childQuantityList[].epcClass
    INPUT_CLASS = 14  # inputQuantityList[].epcClass
    OUTPUT_CLASS = 15  # outputQuantityList[].epcClass


#: event key → role, for keys that hold a list of identifiers
LIST_ROLES: dict[str, IdRole] = {
    "epcList": IdRole.EPC,
    "childEPCs": IdRole.CHILD,
    "inputEPCList": IdRole.INPUT,
    "outputEPCList": IdRole.OUTPUT,
}

#: event key → role, for keys that hold a list of QuantityElements
QUANTITY_ROLES: dict[str, IdRole] = {
    "quantityList": IdRole.CLASS,
    "childQuantityList": IdRole.CHILD_CLASS,
    "inputQuantityList": IdRole.INPUT_CLASS,
    "outputQuantityList": IdRole.OUTPUT_CLASS,
}

#: the stored code of each event type
EVENT_TYPE_CODES: dict[str, int] = {
    "ObjectEvent": 1,
    "AggregationEvent": 2,
    "TransactionEvent": 3,
    "TransformationEvent": 4,
    "AssociationEvent": 5,
}
EVENT_TYPE_NAMES: dict[int, str] = {v: k for k, v in EVENT_TYPE_CODES.items()}
