"""The structure of the simulated city: its subjects, nodes, stalls and equipment, filed through the
platform's own filing service (``subjects.service``: file → approve → nodes → operators).

Node codes and operator codes are allocated by the service (SB/T 10680: node = region 6 + sequence
3; operator = node + 4 digits, ``0000`` for the node itself). Stalls of a 菜市场 are operators of the
market's node with their 摊位号, as the meat & vegetable trace system registers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Connection

from zhuisu.demo.names import SUBURBS, URBAN, Namer, gln13
from zhuisu.demo.scale import Scale
from zhuisu.subjects import service as filing
from zhuisu.subjects.rules import LicenceKind, NodeKind, NodeType, SubjectType
from zhuisu.subjects.schemas import FilingInput, NodeInput, OperatorInput, QualificationInput


@dataclass(frozen=True, slots=True)
class Role:
    """One kind of enterprise: how it files and what its node is."""

    id: str
    trade: str  # the end of its name: 生猪养殖场, 大药房有限公司 …
    node_type: NodeType
    node_kind: NodeKind
    licence: LicenceKind | None
    subject_type: SubjectType = SubjectType.ENTERPRISE
    urban: bool = True
    scope: str = ""
    regions: tuple[str, ...] = ()  # outside the city: where it is instead


ROLES: dict[str, Role] = {
    r.id: r
    for r in (
        Role(
            "pig_farm",
            "生猪养殖场",
            NodeType.FARM,
            NodeKind.FARM,
            LicenceKind.ANIMAL_EPIDEMIC,
            SubjectType.FAMILY_FARM,
            urban=False,
            scope="生猪养殖、销售",
        ),
        Role(
            "veg_base",
            "蔬菜种植专业合作社",
            NodeType.PLANTING_BASE,
            NodeKind.FARM,
            None,
            SubjectType.COOPERATIVE,
            urban=False,
            scope="蔬菜种植、销售",
        ),
        Role(
            "dairy_farm",
            "奶牛养殖场",
            NodeType.FARM,
            NodeKind.FARM,
            LicenceKind.ANIMAL_EPIDEMIC,
            SubjectType.FAMILY_FARM,
            urban=False,
            scope="奶牛养殖、生鲜乳销售",
        ),
        Role(
            "slaughterhouse",
            "肉类食品有限公司",
            NodeType.SLAUGHTERHOUSE,
            NodeKind.PLANT,
            LicenceKind.SLAUGHTER,
            urban=False,
            scope="生猪屠宰、肉品分割与销售",
        ),
        Role(
            "wholesale_market",
            "农产品批发市场经营管理有限公司",
            NodeType.WHOLESALE_MARKET,
            NodeKind.MARKET,
            LicenceKind.FOOD_BUSINESS,
            scope="农产品批发市场经营管理",
        ),
        Role(
            "wet_market",
            "菜市场经营管理有限公司",
            NodeType.WET_MARKET,
            NodeKind.MARKET,
            LicenceKind.FOOD_BUSINESS,
            scope="菜市场经营管理",
        ),
        Role(
            "supermarket",
            "超市有限公司",
            NodeType.SUPERMARKET,
            NodeKind.STORE,
            LicenceKind.FOOD_BUSINESS,
            scope="食品销售",
        ),
        Role(
            "canteen",
            "中学",
            NodeType.GROUP_CONSUMER,
            NodeKind.OTHER,
            LicenceKind.FOOD_BUSINESS,
            SubjectType.PUBLIC_INSTITUTION,
            scope="学校食堂",
        ),
        Role(
            "food_producer",
            "乳业有限公司",
            NodeType.PRODUCER,
            NodeKind.PLANT,
            LicenceKind.FOOD_PRODUCTION,
            urban=False,
            scope="乳制品生产",
        ),
        Role(
            "drug_maker",
            "制药有限公司",
            NodeType.PRODUCER,
            NodeKind.PLANT,
            LicenceKind.DRUG_PRODUCTION,
            urban=False,
            scope="药品生产",
        ),
        Role(
            "drug_wholesaler",
            "医药有限公司",
            NodeType.DRUG_WHOLESALE,
            NodeKind.WAREHOUSE,
            LicenceKind.DRUG_BUSINESS,
            scope="药品批发",
        ),
        Role(
            "pharmacy",
            "大药房有限公司",
            NodeType.DRUG_RETAIL,
            NodeKind.STORE,
            LicenceKind.DRUG_BUSINESS,
            scope="药品零售",
        ),
        Role(
            "hospital",
            "医院",
            NodeType.MEDICAL_INSTITUTION,
            NodeKind.OTHER,
            LicenceKind.MEDICAL_PRACTICE,
            SubjectType.PUBLIC_INSTITUTION,
            scope="医疗服务",
        ),
        Role(
            "filling_station",
            "燃气有限公司",
            NodeType.CYLINDER_FILLING,
            NodeKind.PLANT,
            LicenceKind.CYLINDER_FILLING,
            urban=False,
            scope="液化石油气充装",
        ),
        Role(
            "maintainer",
            "电梯工程有限公司",
            NodeType.ELEVATOR_MAINTENANCE,
            NodeKind.OTHER,
            LicenceKind.SPECIAL_EQUIPMENT,
            scope="电梯安装、改造、修理、维护保养",
        ),
        Role(
            "hazchem_warehouse",
            "化工物流有限公司",
            NodeType.HAZCHEM_STORAGE,
            NodeKind.WAREHOUSE,
            LicenceKind.HAZCHEM_BUSINESS,
            urban=False,
            scope="危险化学品仓储",
        ),
        Role(
            "chemical_user",
            "精细化工有限公司",
            NodeType.PRODUCER,
            NodeKind.PLANT,
            None,
            urban=False,
            scope="化工产品生产",
        ),
        Role(
            "smelter",
            "稀土新材料有限公司",
            NodeType.PRODUCER,
            NodeKind.PLANT,
            None,
            urban=False,
            scope="稀土冶炼分离",
        ),
        Role(
            "magnet_maker",
            "磁材科技有限公司",
            NodeType.PRODUCER,
            NodeKind.PLANT,
            None,
            urban=False,
            scope="稀土永磁材料生产",
        ),
        Role(
            "agri_maker",
            "农药有限公司",
            NodeType.PRODUCER,
            NodeKind.PLANT,
            None,
            urban=False,
            scope="农药生产",
        ),
        Role(
            "agri_dealer",
            "农资经营部",
            NodeType.DISTRIBUTOR,
            NodeKind.STORE,
            None,
            SubjectType.INDIVIDUAL_BUSINESS,
            urban=False,
            scope="农药、化肥、种子零售(实名购买)",
        ),
        Role(
            "mine",
            "稀土矿业有限公司",
            NodeType.PRODUCER,
            NodeKind.OTHER,
            None,
            urban=False,
            scope="稀土开采",
            regions=("150206",),
        ),  # 包头市 白云鄂博矿区: the ore comes from outside the city
        Role(
            "importer",
            "国际贸易有限公司",
            NodeType.IMPORTER,
            NodeKind.WAREHOUSE,
            LicenceKind.FOOD_BUSINESS,
            scope="乳粉、葡萄酒进口与批发",
        ),
    )
}
#: the USCC's authority and entity-type characters (GB 32100 表 1 / 表 2) by subject type
_USCC_KIND = {
    SubjectType.ENTERPRISE: ("9", "1"),
    SubjectType.FAMILY_FARM: ("9", "1"),
    SubjectType.COOPERATIVE: ("9", "3"),
    SubjectType.INDIVIDUAL_BUSINESS: ("9", "2"),
    SubjectType.PUBLIC_INSTITUTION: ("1", "2"),
}


@dataclass(frozen=True, slots=True)
class Place:
    """A filed subject with its one node (and the node's own operator)."""

    role: str
    key: str  # USCC
    name: str
    region: str
    node_code: str
    operator_code: str
    gs1_prefix: str
    person: str  # the contact, who signs the records


@dataclass(frozen=True, slots=True)
class Stall:
    """A stall (摊位) of a 菜市场: an operator of the market's node."""

    market: Place
    stall_no: str
    operator_code: str
    holder: str


@dataclass(slots=True)
class City:
    places: dict[str, list[Place]] = field(default_factory=dict)
    stalls: list[Stall] = field(default_factory=list)

    def of(self, role: str) -> list[Place]:
        return self.places.get(role, [])

    def counts(self) -> dict[str, int]:
        out = {role: len(p) for role, p in self.places.items()}
        out["stall"] = len(self.stalls)
        return out


def role_counts(scale: Scale) -> dict[str, int]:
    """How many subjects of each role a scale has (the roles the issue does not count: one or two)."""
    pigs = max(scale.farms // 2, 1)
    return {
        "pig_farm": pigs,
        "veg_base": max(scale.farms - pigs, 1),
        "dairy_farm": max(scale.food_producers // 3, 1),
        "slaughterhouse": scale.slaughterhouses,
        "wholesale_market": scale.wholesale_markets,
        "wet_market": scale.wet_markets,
        "supermarket": scale.supermarkets,
        "canteen": scale.canteens,
        "food_producer": scale.food_producers,
        "drug_maker": max(scale.drug_wholesalers // 2, 1),
        "drug_wholesaler": scale.drug_wholesalers,
        "pharmacy": scale.pharmacies,
        "hospital": scale.hospitals,
        "filling_station": scale.filling_stations,
        "maintainer": scale.maintainers,
        "hazchem_warehouse": scale.hazchem_warehouses,
        "chemical_user": 2 * scale.hazchem_warehouses,
        "smelter": scale.smelters,
        "magnet_maker": scale.smelters,
        "mine": 1,
        "agri_maker": 1,
        "agri_dealer": scale.agri_dealers,
        "importer": scale.importers,
    }


def _licence(namer: Namer, role: Role, region: str, until: date) -> list[QualificationInput]:
    if role.licence is None:
        return []
    if role.licence is LicenceKind.FOOD_PRODUCTION:
        # SC + category 3 (105 = 乳制品) + province 31 + city 01 + county 2 + sequence 4 + check 1
        number = namer.number(f"SC10531{region[4:6]}01", 5)
    else:
        number = namer.number(f"沪{role.licence.value[:2].upper()}{region[2:6]}", 6)
    return [QualificationInput(kind=role.licence, number=number, valid_until=until, issued_by="上海市")]


def _file_place(conn: Connection, namer: Namer, role: Role, region: str, at: datetime) -> Place:
    authority, entity = _USCC_KIND.get(role.subject_type, ("9", "1"))
    key = namer.uscc(region, authority=authority, entity=entity)
    name = namer.enterprise(region, role.trade)
    person = namer.person()
    address = namer.address(region)
    until = (at + timedelta(days=365 * 3 + namer.rng.randint(-600, 600))).date()
    filing.file_subject(
        conn,
        FilingInput(
            name=name,
            subject_type=role.subject_type,
            legal_rep=namer.person(),
            address=address,
            region=region,
            contact_name=person,
            contact_phone=namer.phone(),
            business_scope=role.scope,
            node_types=[role.node_type],
            uscc=key,
            qualifications=_licence(namer, role, region, until),
        ),
        now=at,
        actor="demo",
    )
    filing.approve(conn, key, now=at + timedelta(hours=2), actor="demo:regulator")
    prefix = namer.gs1_prefix()
    node = filing.add_node(
        conn,
        key,
        NodeInput(
            name=name,
            kind=role.node_kind,
            node_type=role.node_type,
            address=address,
            gln=gln13(prefix, 1),
        ),
        now=at + timedelta(hours=3),
        actor="demo",
    )
    own = filing.add_operator(
        conn, key, node["node_code"], OperatorInput(name=name, own=True), now=at + timedelta(hours=3)
    )
    return Place(role.id, key, name, region, node["node_code"], own["operator_code"], prefix, person)


def file_city(conn: Connection, namer: Namer, scale: Scale, start: datetime) -> City:
    """File every subject of the city (approved), its node and operators; stalls of each 菜市场."""
    city = City()
    day = start - timedelta(days=60)  # the city filed itself two months before the simulation
    index = 0
    for role_id, count in role_counts(scale).items():
        role = ROLES[role_id]
        districts = role.regions or (URBAN if role.urban else SUBURBS)
        places = []
        for i in range(count):
            at = day + timedelta(minutes=7 * index)
            places.append(_file_place(conn, namer, role, districts[i % len(districts)], at))
            index += 1
        city.places[role_id] = places
    for market in city.of("wet_market"):
        for n in range(scale.stalls_per_market):
            holder = namer.person()
            stall_no = f"R{n + 1:03d}"
            op = filing.add_operator(
                conn,
                market.key,
                market.node_code,
                OperatorInput(name=f"{holder}(肉菜摊)", stall_no=stall_no),
                now=day + timedelta(days=1),
            )
            city.stalls.append(Stall(market, stall_no, op["operator_code"], holder))
    return city
