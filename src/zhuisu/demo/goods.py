"""Dairy, imported food, agricultural inputs and drugs — categories without a lifecycle template
for these steps yet, reported as EPCIS 2.0 events with CBV 2.0 bizSteps through the capture service.

Every transfer follows the 卡单同行 practice of the meat & vegetable system: the seller's shipment
carries a consignment code issued to it by the platform (``zs:traceCode``, a ``zhuisu.platform``
code) and the buyer's receipt quotes it as its voucher (``zs:traceVoucher``), so the two meet in
the chain. (A shared ``bizTransactionList`` would be the plain EPCIS way; the integrity checks
currently read a shipment's own transaction link as a receipt — reported.) Sales are
retail_selling (pharmacies, dealers, supermarkets) or dispensing (hospitals).
"""

from __future__ import annotations

from zhuisu.demo.city import Place
from zhuisu.demo.names import gtin13
from zhuisu.demo.reporter import object_event
from zhuisu.demo.world import Day
from zhuisu.domain.parties import code_uri, node_uri

DAIRY = (("纯牛奶 250mL×24", 301), ("酸奶 200g×12", 302), ("婴幼儿配方乳粉 800g", 303))
IMPORTS = (("进口婴幼儿配方乳粉 900g", 401, "NZ"), ("进口干红葡萄酒 750mL", 402, "FR"))
AGRI = (("草甘膦水剂 1L", 501), ("复合肥 50kg", 502), ("水稻种子 5kg", 503))
DRUGS = (("阿莫西林胶囊 0.25g×24粒", "81"), ("布洛芬缓释胶囊 0.3g×20粒", "82"), ("流感疫苗 0.5mL", "83"))


def lgtin(place: Place, item: int, lot: str) -> str:
    """GS1 Digital Link of GTIN + lot (AI 01 + AI 10, GS1 General Specifications §3.4.1)."""
    return f"https://id.gs1.org/01/0{gtin13(place.gs1_prefix, item)}/10/{lot}"


def transfer(
    day: Day,
    seller: Place,
    buyer: Place,
    hour: float,
    *,
    epcs: list[str] | None = None,
    quantities: list[tuple[str, float, str]] | None = None,
    category: str,
) -> None:
    """A shipment and its receipt two hours later, joined by the consignment's code."""
    code = day.code(seller, "发货单", category, platform=True)
    note = day.serial("FH")  # the despatch note number, kept as an extension
    extra = {"subject": seller.key, "category": category, "traceCode": code, "despatchNo": note}
    day.out.event(
        object_event(
            at=day.at(hour),
            biz_step="shipping",
            location=seller.node_code,
            epcs=epcs,
            quantities=quantities,
            disposition="in_transit",
            source=seller.key,
            destination=buyer.key,
            extra=extra,
        )
    )
    extra = {"subject": buyer.key, "category": category, "traceVoucher": code, "despatchNo": note}
    day.out.event(
        object_event(
            at=day.at(hour + 2),
            biz_step="receiving",
            location=buyer.node_code,
            epcs=epcs,
            quantities=quantities,
            disposition="in_progress",
            source=seller.key,
            destination=buyer.key,
            extra=extra,
        )
    )


def sell_pieces(
    day: Day,
    shop: Place,
    cls: str,
    count: int,
    hour: float,
    category: str,
    extra: dict[str, object] | None = None,
) -> None:
    """A shop sells ``count`` pieces of a lot over the day, a few per receipt."""
    left, t = count, hour
    while left > 0:
        n = min(left, day.rng.randint(1, 3))
        left -= n
        t += day.rng.uniform(0.1, 0.8)
        day.out.event(
            object_event(
                at=day.at(t),
                biz_step="retail_selling",
                location=shop.node_code,
                quantities=[(cls, n, "EA")],
                disposition="retail_sold",
                extra={"subject": shop.key, "category": category, **(extra or {})},
            )
        )


def dairy(day: Day) -> None:
    """Dairy farms → producer (raw milk lots) → transformation into product lots → supermarkets."""
    for producer in day.city.of("food_producer"):
        farm = day.pick("dairy_farm")
        milk = lgtin(farm, 300, day.serial("RM"))
        kg = round(day.rng.uniform(2000, 6000), 0)
        day.out.event(
            object_event(
                at=day.at(4),
                biz_step="commissioning",
                location=farm.node_code,
                action="ADD",
                quantities=[(milk, kg, "KGM")],
                disposition="active",
                extra={"subject": farm.key, "productName": "生鲜乳", "category": "food"},
            )
        )
        transfer(day, farm, producer, 6, quantities=[(milk, kg, "KGM")], category="food")
        name, item = DAIRY[day.index % len(DAIRY)]
        product = lgtin(producer, item, day.serial("L"))
        cases = int(kg // 7)
        day.out.event(
            {
                "type": "TransformationEvent",
                "eventTime": day.at(10).isoformat(timespec="seconds"),
                "eventTimeZoneOffset": "+08:00",
                "inputQuantityList": [{"epcClass": milk, "quantity": kg, "uom": "KGM"}],
                "outputQuantityList": [{"epcClass": product, "quantity": cases, "uom": "EA"}],
                "bizStep": "commissioning",
                "bizLocation": {"id": node_uri(producer.node_code)},
                "zs:subject": producer.key,
                "zs:productName": name,
                "zs:category": "food",
            }
        )
        day.ledger.trace_examples.setdefault("dairy", product)
        sm = day.pick("supermarket")
        shipped = day.rng.randint(20, 40)
        transfer(day, producer, sm, 14, quantities=[(product, shipped, "EA")], category="food")
        sell_pieces(day, sm, product, shipped // 2, 17, "food")


def imports(day: Day) -> None:
    """The importer labels imported milk powder and wine (a commissioned lot with its customs
    declaration) and sells to supermarkets, twice a week."""
    if day.midnight.weekday() not in (1, 4):
        return
    for importer in day.city.of("importer"):
        name, item, country = IMPORTS[day.index % len(IMPORTS)]
        lot = lgtin(importer, item, day.serial("IM"))
        count = day.rng.randint(100, 300)
        day.out.event(
            object_event(
                at=day.at(9),
                biz_step="commissioning",
                location=importer.node_code,
                action="ADD",
                quantities=[(lot, count, "EA")],
                disposition="active",
                extra={
                    "subject": importer.key,
                    "productName": name,
                    "originCountry": country,
                    "category": "food",
                    "customsDeclarationNo": day.serial("2201"),
                },
            )
        )
        day.ledger.trace_examples.setdefault("import", lot)
        sm = day.pick("supermarket")
        shipped = day.rng.randint(20, 60)
        transfer(day, importer, sm, 11, quantities=[(lot, shipped, "EA")], category="food")
        sell_pieces(day, sm, lot, shipped // 3, 15, "food")


def agri_inputs(day: Day) -> None:
    """Pesticide, fertiliser and seed: maker → dealers, who sell to farmers by real name
    (农药经营者实名购买, 农药管理条例 Art.27), once a week per dealer."""
    maker = day.city.of("agri_maker")[0]
    for n, dealer in enumerate(day.city.of("agri_dealer")):
        if (day.index + n) % 7:
            continue
        name, item = AGRI[n % len(AGRI)]
        lot = lgtin(maker, item, day.serial("NY"))
        count = day.rng.randint(40, 120)
        day.out.event(
            object_event(
                at=day.at(8),
                biz_step="commissioning",
                location=maker.node_code,
                action="ADD",
                quantities=[(lot, count, "EA")],
                disposition="active",
                extra={"subject": maker.key, "productName": name, "category": "agricultural_input"},
            )
        )
        shipped = count // 2
        transfer(day, maker, dealer, 9, quantities=[(lot, shipped, "EA")], category="agricultural_input")
        for _ in range(day.rng.randint(2, 5)):
            buyer = day.pick("veg_base")
            sell_pieces(
                day,
                dealer,
                lot,
                day.rng.randint(1, 3),
                13,
                "agricultural_input",
                {"buyer": buyer.key, "buyerName": buyer.person},
            )


def drugs(day: Day) -> None:
    """Drug trace codes (NMPA, 20 digits: product 7 + serial 9 + check 4) from the maker through a
    wholesaler to pharmacies (retail) and hospitals (dispensing), every second day."""
    if day.index % 2:
        return
    maker = day.city.of("drug_maker")[0]
    for wholesaler in day.city.of("drug_wholesaler"):
        name, head = DRUGS[day.index // 2 % len(DRUGS)]
        product = f"{head}{int(maker.key[10:15], 36) % 100_000:05d}"
        codes = [
            f"{product}{day.rng.randint(0, 10**9 - 1):09d}{day.rng.randint(0, 9999):04d}" for _ in range(24)
        ]
        uris = [code_uri(c) for c in codes]
        day.ledger.trace_examples.setdefault("drug", codes[0])
        day.out.event(
            object_event(
                at=day.at(7),
                biz_step="commissioning",
                location=maker.node_code,
                action="ADD",
                epcs=uris,
                disposition="active",
                extra={"subject": maker.key, "productName": name, "category": "drug", "billType": "101"},
            )
        )
        transfer(day, maker, wholesaler, 9, epcs=uris, category="drug")
        pharmacy, hospital = day.pick("pharmacy"), day.pick("hospital")
        transfer(day, wholesaler, pharmacy, 13, epcs=uris[:12], category="drug")
        transfer(day, wholesaler, hospital, 13, epcs=uris[12:], category="drug")
        for i, uri in enumerate(uris[:6]):
            day.out.event(
                object_event(
                    at=day.at(16 + i * 0.3),
                    biz_step="retail_selling",
                    location=pharmacy.node_code,
                    epcs=[uri],
                    disposition="retail_sold",
                    extra={
                        "subject": pharmacy.key,
                        "category": "drug",
                        "billType": "321",
                        "customerIdType": "医保卡",
                    },
                )
            )
        for i, uri in enumerate(uris[12:16]):
            day.out.event(
                object_event(
                    at=day.at(16 + i * 0.4),
                    biz_step="dispensing",
                    location=hospital.node_code,
                    epcs=[uri],
                    disposition="dispensed",
                    extra={"subject": hospital.key, "category": "drug", "billType": "322"},
                )
            )
