"""CBV 2.0 standard vocabularies and the normalisation of their three spellings.

CBV 2.0 (§7, §8) gives every standard value three forms: the bare word used in JSON-LD
(``shipping``), the Web URI (``https://ref.gs1.org/cbv/BizStep-shipping``) and the EPCIS 1.x URN
(``urn:epcglobal:cbv:bizstep:shipping``). zhuisu stores the bare word; any value that is not a
standard word must be a full URI (CBV 2.0 §8.2: user vocabularies are URIs), and is kept as given.
Sensor measurement types (GS1 Web Vocabulary, EPCIS 2.0 §7.3.8) and alert types follow the same
idea with ``gs1:`` / ``https://gs1.org/voc/`` forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Vocabulary(StrEnum):
    BIZ_STEP = "BizStep"
    DISPOSITION = "Disposition"
    BIZ_TRANSACTION_TYPE = "BizTransactionType"
    SOURCE_DEST_TYPE = "SourceDestType"
    ERROR_REASON = "ErrorReason"
    COMPONENT = "Component"


#: the URN vocabulary segment of each (CBV 2.0 §8.2, ``urn:epcglobal:cbv:<segment>:<word>``)
URN_SEGMENT: dict[Vocabulary, str] = {
    Vocabulary.BIZ_STEP: "bizstep",
    Vocabulary.DISPOSITION: "disp",
    Vocabulary.BIZ_TRANSACTION_TYPE: "btt",
    Vocabulary.SOURCE_DEST_TYPE: "sdt",
    Vocabulary.ERROR_REASON: "er",
    Vocabulary.COMPONENT: "comp",
}

#: the Web URI segment of each (CBV 2.0 §8.2, ``https://ref.gs1.org/cbv/<segment>-<word>``)
WEB_SEGMENT: dict[Vocabulary, str] = {
    Vocabulary.BIZ_STEP: "BizStep",
    Vocabulary.DISPOSITION: "Disp",
    Vocabulary.BIZ_TRANSACTION_TYPE: "BTT",
    Vocabulary.SOURCE_DEST_TYPE: "SDT",
    Vocabulary.ERROR_REASON: "ER",
    Vocabulary.COMPONENT: "Comp",
}

WEB_URI_BASE = "https://ref.gs1.org/cbv/"
GS1_VOC_BASE = "https://gs1.org/voc/"

# The standard words, per vocabulary (CBV 2.0 §7.1-§7.6, §8.x).
WORDS: dict[Vocabulary, frozenset[str]] = {
    Vocabulary.BIZ_STEP: frozenset(
        [
            "accepting",
            "arriving",
            "assembling",
            "collecting",
            "commissioning",
            "consigning",
            "creating_class_instance",
            "cycle_counting",
            "decommissioning",
            "departing",
            "destroying",
            "disassembling",
            "dispensing",
            "encoding",
            "entering_exiting",
            "holding",
            "inspecting",
            "installing",
            "killing",
            "loading",
            "other",
            "packing",
            "picking",
            "receiving",
            "removing",
            "repackaging",
            "repairing",
            "replacing",
            "reserving",
            "retail_selling",
            "sampling",
            "sensor_reporting",
            "shipping",
            "staging_outbound",
            "stock_taking",
            "stocking",
            "storing",
            "transporting",
            "unloading",
            "unpacking",
            "void_shipping",
        ]
    ),
    Vocabulary.BIZ_TRANSACTION_TYPE: frozenset(
        [
            "bol",
            "cert",
            "desadv",
            "inv",
            "pedigree",
            "po",
            "poc",
            "prodorder",
            "recadv",
            "rma",
            "testprd",
            "testres",
            "upevt",
        ]
    ),
    Vocabulary.COMPONENT: frozenset(
        [
            "altitude",
            "axial_distance",
            "azimuth",
            "easting",
            "elevation_angle",
            "height",
            "latitude",
            "longitude",
            "northing",
            "polar_angle",
            "spherical_radius",
            "x",
            "y",
            "z",
        ]
    ),
    Vocabulary.DISPOSITION: frozenset(
        [
            "active",
            "available",
            "completeness_inferred",
            "completeness_verified",
            "conformant",
            "container_closed",
            "container_open",
            "damaged",
            "destroyed",
            "dispensed",
            "disposed",
            "encoded",
            "expired",
            "in_progress",
            "in_transit",
            "inactive",
            "mismatch_class",
            "mismatch_instance",
            "mismatch_quantity",
            "needs_replacement",
            "no_pedigree_match",
            "non_conformant",
            "non_sellable_other",
            "partially_dispensed",
            "recalled",
            "reserved",
            "retail_sold",
            "returned",
            "sellable_accessible",
            "sellable_not_accessible",
            "stolen",
            "unavailable",
            "unknown",
        ]
    ),
    Vocabulary.ERROR_REASON: frozenset(["did_not_occur", "incorrect_data"]),
    Vocabulary.SOURCE_DEST_TYPE: frozenset(["location", "owning_party", "possessing_party"]),
}

#: sensorReport ``type`` values of the GS1 Web Vocabulary (gs1:MeasurementType)
MEASUREMENT_TYPES: frozenset[str] = frozenset(
    [
        "AbsoluteHumidity",
        "AbsorbedDose",
        "AbsorbedDoseRate",
        "Acceleration",
        "Altitude",
        "AmountOfSubstance",
        "AmountOfSubstancePerUnitVolume",
        "Angle",
        "AngularAcceleration",
        "AngularMomentum",
        "AngularVelocity",
        "Area",
        "Capacitance",
        "Conductance",
        "Conductivity",
        "Count",
        "Density",
        "Dimensionless",
        "DoseEquivalent",
        "DoseEquivalentRate",
        "DynamicViscosity",
        "ElectricCharge",
        "ElectricCurrent",
        "ElectricCurrentDensity",
        "ElectricFieldStrength",
        "Energy",
        "Exposure",
        "Force",
        "Frequency",
        "Illuminance",
        "Inductance",
        "Irradiance",
        "KinematicViscosity",
        "Length",
        "LinearMomentum",
        "Luminance",
        "LuminousFlux",
        "LuminousIntensity",
        "MagneticFlux",
        "MagneticFluxDensity",
        "MagneticVectorPotential",
        "Mass",
        "MassConcentration",
        "MassFlowRate",
        "MassPerAreaTime",
        "MemoryCapacity",
        "MolalityOfSolute",
        "MolarEnergy",
        "MolarMass",
        "MolarVolume",
        "Power",
        "Pressure",
        "RadiantFlux",
        "RadiantIntensity",
        "Radioactivity",
        "RelativeHumidity",
        "Resistance",
        "Resistivity",
        "SolidAngle",
        "SpecificVolume",
        "Speed",
        "SurfaceDensity",
        "SurfaceTension",
        "Temperature",
        "Time",
        "Torque",
        "Voltage",
        "Volume",
        "VolumeFlowRate",
        "VolumeFraction",
        "VolumetricFlux",
        "Wavenumber",
    ]
)

#: sensorMetadata / sensorReport ``exception`` values (gs1:SensorAlertType)
SENSOR_ALERT_TYPES: frozenset[str] = frozenset({"ALARM_CONDITION", "ERROR_CONDITION"})


@dataclass(frozen=True, slots=True)
class Normalised:
    """The result of normalising one vocabulary value."""

    value: str
    standard: bool  # True when it is a CBV standard word


def is_uri(value: str) -> bool:
    """A full URI as CBV 2.0 §8.2 requires of user-defined values: a scheme, a colon, something."""
    colon = value.find(":")
    if colon <= 0 or colon == len(value) - 1:
        return False
    scheme = value[:colon]
    return scheme[0].isalpha() and all(c.isalnum() or c in "+-." for c in scheme) and " " not in value


def normalise(vocabulary: Vocabulary, value: str) -> Normalised | None:
    """Bring a CBV value to its bare word, or keep a user URI; None if it is neither.

    Accepts the bare word, the Web URI and the URN of a standard value (any of the three). A
    Web URI or URN in the CBV namespace whose word is not standard is rejected (None), because the
    CBV namespace is closed; any other URI is a user vocabulary value and is kept unchanged.
    """
    words = WORDS[vocabulary]
    if value in words:
        return Normalised(value, True)
    web_prefix = f"{WEB_URI_BASE}{WEB_SEGMENT[vocabulary]}-"
    if value.startswith(web_prefix):
        word = value[len(web_prefix) :]
        return Normalised(word, True) if word in words else None
    urn_prefix = f"urn:epcglobal:cbv:{URN_SEGMENT[vocabulary]}:"
    if value.startswith(urn_prefix):
        word = value[len(urn_prefix) :]
        return Normalised(word, True) if word in words else None
    if value.startswith(("urn:epcglobal:cbv:", WEB_URI_BASE)):
        return None
    return Normalised(value, False) if is_uri(value) else None


def web_uri(vocabulary: Vocabulary, value: str) -> str:
    """The Web URI of a stored value (bare words expand; user URIs stay)."""
    if value in WORDS[vocabulary]:
        return f"{WEB_URI_BASE}{WEB_SEGMENT[vocabulary]}-{value}"
    return value


def urn(vocabulary: Vocabulary, value: str) -> str:
    """The EPCIS 1.x URN of a stored value (bare words expand; user URIs stay)."""
    if value in WORDS[vocabulary]:
        return f"urn:epcglobal:cbv:{URN_SEGMENT[vocabulary]}:{value}"
    return value


def normalise_measurement_type(value: str) -> Normalised | None:
    """sensorReport ``type``: ``Temperature``, ``gs1:Temperature`` or the gs1.org/voc URI → bare word."""
    for prefix in ("gs1:", GS1_VOC_BASE):
        if value.startswith(prefix):
            word = value[len(prefix) :]
            return Normalised(word, True) if word in MEASUREMENT_TYPES else None
    if value in MEASUREMENT_TYPES:
        return Normalised(value, True)
    return Normalised(value, False) if is_uri(value) else None


def normalise_alert_type(value: str) -> Normalised | None:
    """sensor ``exception``: ``ALARM_CONDITION`` in any of its spellings → bare word."""
    for prefix in ("gs1:", GS1_VOC_BASE):
        if value.startswith(prefix):
            value = value[len(prefix) :]
            break
    return Normalised(value, True) if value in SENSOR_ALERT_TYPES else None
