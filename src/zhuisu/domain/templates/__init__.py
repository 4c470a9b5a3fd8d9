"""Catalog and lifecycle templates as declarative data (reviewed like code), and the record rules.

One module per category family — ``agri_food`` (pork, vegetables), ``food`` (dairy, infant formula,
edible oil, liquor, imported food), ``agri_inputs`` (pesticides, fertilisers, seeds, veterinary drugs,
feed), ``special_equipment`` (elevator, gas cylinder), ``dangerous_goods`` (hazardous chemicals),
``drugs`` (bill types), ``rare_earth``, ``jewellery`` — over the shapes of ``model`` and the shared
fields of ``fields`` (and ``goods_fields`` for packaged goods); ``catalog`` lists the categories
and what is not templated yet; ``rules`` checks records against a step. Pure data, stdlib only.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from zhuisu.domain.templates import (
    agri_food,
    agri_inputs,
    dangerous_goods,
    drugs,
    food,
    jewellery,
    rare_earth,
    special_equipment,
)
from zhuisu.domain.templates.catalog import CATALOG_KINDS, CATEGORIES, NOT_TEMPLATED
from zhuisu.domain.templates.model import (
    Category,
    CodeRole,
    Evidence,
    FieldDef,
    Step,
    StepField,
    Target,
    Template,
    ValueKind,
)
from zhuisu.domain.templates.rules import CheckedRecord, check_record, check_step

TEMPLATES: Mapping[str, Template] = MappingProxyType(
    {
        t.id: t
        for t in (
            *agri_food.TEMPLATES,
            *food.TEMPLATES,
            *agri_inputs.TEMPLATES,
            *special_equipment.TEMPLATES,
            *dangerous_goods.TEMPLATES,
            *drugs.TEMPLATES,
            *rare_earth.TEMPLATES,
            *jewellery.TEMPLATES,
        )
    }
)
STEPS: Mapping[str, Step] = MappingProxyType({s.id: s for t in TEMPLATES.values() for s in t.steps})
CATEGORY_BY_ID: Mapping[str, Category] = MappingProxyType({c.id: c for c in CATEGORIES})


def step(step_id: str) -> Step | None:
    return STEPS.get(step_id.strip())


def validate_catalog() -> list[str]:
    """Every inconsistency of the declared data (the test suite asserts there is none)."""
    errors = [e for s in STEPS.values() for e in check_step(s)]
    for t in TEMPLATES.values():
        category = CATEGORY_BY_ID.get(t.category)
        if category is None or t.id not in category.templates or t.subclass not in category.subclasses:
            errors.append(f"template {t.id}: not listed under its category")
        errors.extend(f"{s.id}: not in template {t.id}" for s in t.steps if s.template != t.id)
    for c in CATEGORIES:
        errors.extend(f"category {c.id}: unknown template {t}" for t in c.templates if t not in TEMPLATES)
    return errors


__all__ = [
    "CATALOG_KINDS",
    "CATEGORIES",
    "CATEGORY_BY_ID",
    "NOT_TEMPLATED",
    "STEPS",
    "TEMPLATES",
    "Category",
    "CheckedRecord",
    "CodeRole",
    "Evidence",
    "FieldDef",
    "Step",
    "StepField",
    "Target",
    "Template",
    "ValueKind",
    "check_record",
    "check_step",
    "step",
    "validate_catalog",
]
