"""Pork and vegetables, through their lifecycle templates (domain/templates/agri_food.py).

Pork: 养殖场 出栏 (产地检疫证) → 屠宰场 进场 / 检疫与肉品品质检验 / 屠宰 / 出场 (a new 20-digit code,
the farm's code as 追溯凭证号) → 批发市场 进场 / 检测 / 销售 (a new code per sale, 卡单同行) →
菜市场摊位 进货 / 零售 and 学校食堂 进货; and 屠宰场 → 超市, which packs the carcass under its own GS1
lot (LGTIN) and sells the packs by weight. Vegetables: 种植基地 出货 (产地证明) → 批发市场 →
摊位 / 超市 / 食堂. A stall books each purchase into a batch of its own and sells each portion under
a new code linked to that batch; a supermarket sells its packs under its GS1 lot (see docs/demo.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from zhuisu.demo.city import Place, Stall
from zhuisu.demo.names import gtin13
from zhuisu.demo.reporter import object_event, stamp
from zhuisu.demo.world import Day
from zhuisu.domain.parties import code_uri, node_uri

PORK_CUTS = ("猪肉(前腿)", "猪肉(后腿)", "五花肉", "里脊肉", "排骨", "猪肉(夹心)")
VEGETABLES = {
    # (name, base price 元/kg, months in season)
    "青菜": (4.0, range(1, 13)),
    "大白菜": (2.2, (11, 12, 1, 2, 3)),
    "番茄": (6.5, range(5, 11)),
    "黄瓜": (5.0, range(4, 11)),
    "土豆": (3.2, range(1, 13)),
    "芹菜": (5.5, (9, 10, 11, 12, 1, 2, 3, 4)),
    "茄子": (6.0, range(6, 11)),
    "菠菜": (7.0, (10, 11, 12, 1, 2, 3, 4)),
}
PORK_PRICE = 26.0  # 元/kg, carcass at the wholesale market
RESIDUE_TEST = "克伦特罗(瘦肉精)"


@dataclass(frozen=True, slots=True)
class PorkLot:
    farm: Place
    slaughterhouse: Place
    farm_code: str
    origin_cert: str
    quarantine_cert: str
    meat_cert: str
    head: int
    carcass_kg: float
    batch: str
    origin: str


def _t(moment: datetime) -> str:
    return stamp(moment)


def pork_batch(
    day: Day, farm: Place, sh: Place, hour: float, *, unfiled: tuple[str, str] | None = None
) -> PorkLot:
    """Live pigs from a farm through the slaughterhouse. ``unfiled`` = (supplier USCC, its code):
    pigs from a supplier the platform has no filing of, so no departure record exists upstream."""
    rng = day.rng
    head = rng.randint(15, 60)
    live = round(head * rng.uniform(105, 125), 1)
    cert = f"3100{rng.randint(0, 999_999):06d}"
    batch = day.serial("P")
    if unfiled is None:
        farm_code = day.code(farm, "生猪", "meat")
        day.out.record(
            "pork.farm.departure",
            trace_code=farm_code,
            event_time=_t(day.jitter(hour)),
            subject=farm.key,
            node_code=farm.node_code,
            origin_quarantine_cert_no=cert,
            head_count=head,
            weight_kg=live,
            destination_place=sh.region,
            vehicle_plate=f"沪{rng.choice('ABDF')}{rng.randint(10000, 99999)}",
            batch_no=batch,
        )
        supplier, origin = farm.key, farm.region
    else:
        supplier, farm_code = unfiled
        origin = supplier[2:8]
    quarantine = f"3101{rng.randint(0, 999_999):06d}"
    meat = f"RP{day.midnight:%Y%m%d}{rng.randint(0, 999):03d}"
    common = {"trace_code": farm_code, "subject": sh.key, "node_code": sh.node_code, "batch_no": batch}
    entry = dict(
        common,
        event_time=_t(day.at(hour + 2)),
        supplier=supplier,
        head_count=head,
        origin=origin,
        origin_quarantine_cert_no=cert,
        weight_kg=live,
    )
    day.out.record("pork.slaughter.entry", **entry)
    day.out.record(
        "pork.slaughter.inspection",
        **common,
        event_time=_t(day.at(hour + 3)),
        origin_quarantine_cert_no=cert,
        head_count=head,
        quarantine_cert_no=quarantine,
        meat_inspection_cert_no=meat,
        test_result="合格",
        inspector=sh.person,
    )
    carcass = round(live * rng.uniform(0.72, 0.78), 1)
    day.out.record(
        "pork.slaughter.slaughter",
        **common,
        event_time=_t(day.at(hour + 4)),
        head_count=head,
        weight_kg=carcass,
    )
    return PorkLot(farm, sh, farm_code, cert, quarantine, meat, head, carcass, batch, origin)


def pork_exit(
    day: Day, lot: PorkLot, buyer: Place, code: str, weight: float, hour: float, *, voucher: bool = True
) -> None:
    day.out.record(
        "pork.slaughter.exit",
        trace_code=code,
        event_time=_t(day.at(hour)),
        subject=lot.slaughterhouse.key,
        node_code=lot.slaughterhouse.node_code,
        buyer=buyer.key,
        product_name="白条猪",
        weight_kg=weight,
        quarantine_cert_no=lot.quarantine_cert,
        meat_inspection_cert_no=lot.meat_cert,
        destination_place=buyer.region,
        batch_no=lot.batch,
        unit_price=day.price(PORK_PRICE - 2),
        trace_voucher=lot.farm_code if voucher else None,
    )


def pork_market_entry(
    day: Day, lot: PorkLot, market: Place, code: str, weight: float, hour: float, *, passed: bool = True
) -> str:
    """Entry and the residue test at the wholesale market; returns the market's batch number."""
    batch = day.serial("M")
    day.out.record(
        "pork.wholesale.entry",
        trace_code=code,
        event_time=_t(day.at(hour)),
        subject=market.key,
        node_code=market.node_code,
        wholesaler=market.name,
        product_name="白条猪",
        weight_kg=weight,
        quarantine_cert_no=lot.quarantine_cert,
        origin=lot.origin,
        meat_inspection_cert_no=lot.meat_cert,
        slaughterhouse=lot.slaughterhouse.name,
        batch_no=batch,
    )
    day.out.record(
        "pork.wholesale.test",
        trace_code=code,
        event_time=_t(day.at(hour + 0.5)),
        subject=market.key,
        node_code=market.node_code,
        test_item=RESIDUE_TEST,
        test_result="合格" if passed else "不合格",
        inspector=market.person,
        batch_no=batch,
    )
    return batch


def wholesale_sale(
    day: Day,
    step: str,
    market: Place,
    buyer: Place,
    batch: str,
    product: str,
    weight: float,
    price: float,
    hour: float,
    category: str,
) -> str:
    code = day.code(market, product, category)
    day.out.record(
        step,
        trace_code=code,
        event_time=_t(day.at(hour)),
        subject=market.key,
        node_code=market.node_code,
        wholesaler=market.name,
        buyer=buyer.key,
        weight_kg=weight,
        batch_no=batch,
        product_name=product,
        unit_price=price,
        amount=round(weight * price, 2),
    )
    return code


def stall_sells(
    day: Day,
    stall: Stall,
    kind: str,
    code: str,
    product: str,
    weight: float,
    price: float,
    hour: float,
    cert: str | None = None,
) -> None:
    """A stall takes in a wholesale purchase (卡单同行: the code is its voucher) into a batch of its
    own and sells it by the piece over the day, each sold portion under a new 追溯码 booked against
    that batch (the 零售 template issues a code: the sales split), Σ sold ≤ entered."""
    market = stall.market
    late = stall.operator_code in day.ledger.late
    batch = day.serial("R")
    entry = {
        "step": f"{kind}.retail.entry",
        "trace_code": code,
        "event_time": _t(day.at(hour)),
        "subject": market.key,
        "node_code": market.node_code,
        "product_name": product,
        "weight_kg": weight,
        "unit_price": price,
        "batch_no": batch,
    }
    if kind == "pork":
        entry |= {"quarantine_cert_no": cert, "operator_code": stall.operator_code}
    sales = []
    left = weight * day.rng.uniform(0.85, 0.97)
    t = hour + 1
    while left > 0.3 and t < hour + 10:
        w = round(min(left, day.rng.uniform(0.3, 2.5)), 2)
        left -= w
        t += day.rng.uniform(0.1, 0.6)
        sold = day.codes.take(
            day.conn,
            day.midnight,
            subject=market.key,
            operator=stall.operator_code,
            product=product,
            category="meat" if kind == "pork" else "vegetable",
        )
        sale = {
            "step": f"{kind}.retail.sale",
            "trace_code": sold,
            "batch_no": batch,
            "event_time": _t(day.at(t)),
            "subject": market.key,
            "node_code": market.node_code,
            "product_name": product if kind == "veg" else day.rng.choice(PORK_CUTS),
            "weight_kg": w,
            "stall_no": stall.stall_no,
            "unit_price": round(price * 1.35, 2),
        }
        if kind == "pork":
            sale["operator_code"] = stall.operator_code
        sales.append(sale)
    for rec in (entry, *sales):
        values = {k: v for k, v in rec.items() if v is not None}
        if late:  # an operator who reports a day late: the records go in with tomorrow's
            day.ledger.late_records.append(values)
        else:
            step = str(values.pop("step"))
            day.out.record(step, **values)


def supermarket_pork(
    day: Day, lot: PorkLot, sm: Place, weight: float, hour: float, *, oversell: float = 1.0
) -> str:
    """Slaughterhouse → supermarket, which cuts and packs the carcass under its own GS1 lot (LGTIN:
    its GTIN of fresh pork + a lot number; an EPCIS TransformationEvent, §7.4.5) and sells the
    packs by weight. ``oversell`` > 1 sells more than the lot holds (the weight-mismatch fault)."""
    code = day.code(lot.slaughterhouse, "白条猪", "meat")
    pork_exit(day, lot, sm, code, weight, hour)
    day.out.record(
        "pork.retail.entry",
        trace_code=code,
        event_time=_t(day.at(hour + 2)),
        subject=sm.key,
        node_code=sm.node_code,
        product_name="白条猪",
        weight_kg=weight,
        quarantine_cert_no=lot.quarantine_cert,
        supplier=lot.slaughterhouse.key,
        meat_inspection_cert_no=lot.meat_cert,
        origin=lot.origin,
        batch_no=lot.batch,
    )
    packed = round(weight * 0.97, 1)
    lgtin = f"https://id.gs1.org/01/0{gtin13(sm.gs1_prefix, 201)}/10/{lot.batch}"
    day.out.event(
        {
            "type": "TransformationEvent",
            "eventTime": _t(day.at(hour + 2.5)),
            "eventTimeZoneOffset": "+08:00",
            "inputEPCList": [code_uri(code)],
            "outputQuantityList": [{"epcClass": lgtin, "quantity": packed, "uom": "KGM"}],
            "bizStep": "repackaging",
            "bizLocation": {"id": node_uri(sm.node_code)},
            "zs:subject": sm.key,
            "zs:productName": "冷鲜猪肉(分割包装)",
            "zs:category": "meat",
        }
    )
    target = packed * (oversell if oversell > 1 else day.rng.uniform(0.6, 0.9))
    sold, t = 0.0, hour + 3
    while sold < target - 0.2:
        w = round(min(target - sold, day.rng.uniform(0.8, 3.0)), 2)
        sold += w
        t += day.rng.uniform(0.05, 0.3)
        day.out.record(
            "pork.retail.sale",
            trace_code=lgtin,
            event_time=_t(day.at(t)),
            subject=sm.key,
            node_code=sm.node_code,
            product_name=day.rng.choice(PORK_CUTS),
            weight_kg=w,
            unit_price=day.price(PORK_PRICE * 1.5),
            batch_no=lot.batch,
        )
    return lgtin


def pork(day: Day) -> None:
    """A day of pork: each slaughterhouse takes in a few batches and ships them on."""
    stalls = [s for s in day.city.stalls if day.ledger.stopped.get(s.operator_code, 10**9) > day.index]
    for sh in day.city.of("slaughterhouse"):
        for b in range(day.volume(1.5)):
            hour = 1 + b * 0.7
            lot = pork_batch(day, day.pick("pig_farm"), sh, hour)
            to_market = round(lot.carcass_kg * (0.97 if b else 0.9), 1)
            market = day.pick("wholesale_market")
            code = day.code(sh, "白条猪", "meat")
            pork_exit(day, lot, market, code, to_market, hour + 5)
            batch = pork_market_entry(day, lot, market, code, to_market, hour + 7)
            day.ledger.trace_examples.setdefault("pork.wholesale", code)
            buyers = day.rng.sample(stalls, k=min(len(stalls), day.rng.randint(2, 4))) if stalls else []
            share = round(to_market / (len(buyers) + 1), 1)
            for stall in buyers:
                price = day.price(PORK_PRICE)
                sold = wholesale_sale(
                    day,
                    "pork.wholesale.sale",
                    market,
                    stall.market,
                    batch,
                    "白条猪",
                    share,
                    price,
                    hour + 8,
                    "meat",
                )
                stall_sells(day, stall, "pork", sold, "猪肉", share, price, hour + 9, lot.quarantine_cert)
                day.ledger.trace_examples.setdefault("pork.retail", sold)
            canteen = day.pick("canteen")
            sold = wholesale_sale(
                day,
                "pork.wholesale.sale",
                market,
                canteen,
                batch,
                "白条猪",
                share,
                day.price(PORK_PRICE),
                hour + 8,
                "meat",
            )
            day.out.record(
                "pork.retail.entry",
                trace_code=sold,
                event_time=_t(day.at(hour + 9)),
                subject=canteen.key,
                node_code=canteen.node_code,
                product_name="猪肉",
                weight_kg=share,
                quarantine_cert_no=lot.quarantine_cert,
                supplier=market.key,
            )
            if b == 0:
                sm = day.pick("supermarket")
                supermarket_pork(day, lot, sm, round(day.rng.uniform(30, 60), 1), hour + 5)


def vegetables(day: Day) -> None:
    """A day of vegetables: planting bases ship to the wholesale markets (产地证明), which sell on."""
    month = day.midnight.month
    in_season = [v for v, (_, months) in VEGETABLES.items() if month in months]
    stalls = [s for s in day.city.stalls if day.ledger.stopped.get(s.operator_code, 10**9) > day.index]
    for market in day.city.of("wholesale_market"):
        for b in range(day.volume(2)):
            hour = 2 + b * 0.5
            base = day.pick("veg_base")
            product = day.rng.choice(in_season)
            weight = round(day.rng.uniform(300, 1500), 1)
            code = day.code(base, product, "vegetable")
            cert = f"CD{day.midnight:%Y%m%d}{day.rng.randint(0, 9999):04d}"
            # no template step for the base's departure yet: an EPCIS departing event carrying the
            # code it issued (zs:traceCode), so the market's entry has its upstream record
            day.out.event(
                object_event(
                    at=day.at(hour),
                    biz_step="departing",
                    location=base.node_code,
                    epcs=[code_uri(code)],
                    disposition="in_transit",
                    destination=market.key,
                    extra={
                        "traceCode": code,
                        "subject": base.key,
                        "productName": product,
                        "weightKg": weight,
                        "originCertNo": cert,
                        "category": "vegetable",
                    },
                )
            )
            batch = day.serial("V")
            common = {
                "trace_code": code,
                "subject": market.key,
                "node_code": market.node_code,
                "batch_no": batch,
            }
            day.out.record(
                "veg.wholesale.entry",
                **common,
                event_time=_t(day.at(hour + 2)),
                wholesaler=market.name,
                product_name=product,
                weight_kg=weight,
                origin_cert_no=cert,
                origin=base.region,
                grower=base.name,
            )
            day.out.record(
                "veg.wholesale.test",
                **common,
                event_time=_t(day.at(hour + 2.5)),
                test_item="农药残留(快速检测)",
                test_result="合格",
                inspector=market.person,
            )
            day.ledger.trace_examples.setdefault("veg.wholesale", code)
            price = day.price(VEGETABLES[product][0])
            buyers = day.rng.sample(stalls, k=min(len(stalls), 2)) if stalls else []
            share = round(weight / (len(buyers) + 2), 1)
            for stall in buyers:
                sold = wholesale_sale(
                    day,
                    "veg.wholesale.sale",
                    market,
                    stall.market,
                    batch,
                    product,
                    share,
                    price,
                    hour + 3,
                    "vegetable",
                )
                stall_sells(day, stall, "veg", sold, product, share, price, hour + 4)
            for buyer in (day.pick("supermarket"), day.pick("canteen")):
                sold = wholesale_sale(
                    day,
                    "veg.wholesale.sale",
                    market,
                    buyer,
                    batch,
                    product,
                    share,
                    price,
                    hour + 3,
                    "vegetable",
                )
                day.out.record(
                    "veg.retail.entry",
                    trace_code=sold,
                    event_time=_t(day.at(hour + 4)),
                    subject=buyer.key,
                    node_code=buyer.node_code,
                    product_name=product,
                    weight_kg=share,
                    supplier=market.key,
                    origin=base.region,
                    unit_price=price,
                )
