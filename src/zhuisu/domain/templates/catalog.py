"""The product categories (产品品类) and their sub-classes, and which have a lifecycle template.

Seven categories are named by GB/T 38158-2019 (scope: 食用农产品、食品、药品、农业生产资料、特种设备、
危险品、稀土产品) [S]; the eighth, 珠宝首饰, and the sub-class lists follow issue 4 (policy documents
as the project read them; our grouping [I]). Vegetable and meat varieties (SB/T 10029-2012, SB/T
10680 附录A/B) are not shipped yet: only their titles were found [S-meta].
"""

from __future__ import annotations

from zhuisu.domain.templates.model import Category

_GB = "GB/T 38158-2019 scope [S]; sub-classes per issue 4 [I]"

CATEGORIES: tuple[Category, ...] = (
    Category(
        "edible_agri",
        "食用农产品",
        "edible agricultural products",
        ("肉类", "蔬菜", "水果", "水产"),
        _GB,
        ("pork", "veg"),
    ),
    Category(
        "food",
        "食品",
        "food",
        (
            "婴幼儿配方食品",
            "乳制品",
            "肉制品",
            "食用植物油",
            "白酒",
            "葡萄酒",
            "茶叶",
            "食品添加剂",
            "保健食品",
            "进口食品",
        ),
        _GB,
        ("dairy", "infant_formula", "edible_oil", "liquor", "imported_food"),
    ),
    Category(
        "drugs", "药品", "drugs", ("化学药", "中药材", "中药饮片", "疫苗", "高风险医疗器械"), _GB, ("drug",)
    ),
    Category(
        "agri_inputs",
        "农业生产资料",
        "agricultural inputs",
        ("农药", "肥料", "种子", "兽药", "饲料"),
        _GB,
        ("pesticide", "fertiliser", "seed", "vet_drug", "feed"),
    ),
    Category(
        "special_equipment", "特种设备", "special equipment", ("电梯", "气瓶"), _GB, ("elevator", "cylinder")
    ),
    Category(
        "dangerous_goods",
        "危险品",
        "dangerous goods",
        ("民用爆炸物品", "烟花爆竹", "易制爆危险化学品", "剧毒化学品"),
        _GB,
        ("hazchem",),
    ),
    Category("rare_earth", "稀土产品", "rare-earth products", ("稀土产品",), _GB, ("rare_earth",)),
    Category("jewellery", "珠宝首饰", "jewellery", ("珠宝首饰",), "issue 4 [I]", ("jewellery",)),
)

#: sub-classes without a lifecycle template yet (said honestly in GET /templates and the docs)
NOT_TEMPLATED: tuple[tuple[str, str], ...] = (
    ("edible_agri", "水果"),
    ("edible_agri", "水产"),
    *(("food", s) for s in ("肉制品", "葡萄酒", "茶叶", "食品添加剂", "保健食品")),
    ("drugs", "中药材"),
    ("drugs", "中药饮片"),
    ("drugs", "高风险医疗器械"),
    ("dangerous_goods", "民用爆炸物品"),
    ("dangerous_goods", "烟花爆竹"),
    ("dangerous_goods", "剧毒化学品"),
)

#: the kinds of trace catalog a regulator keeps (商秩发〔2017〕53号 目录管理制度 [S partial])
CATALOG_KINDS: dict[str, str] = {"key": "重点追溯产品目录", "encouraged": "鼓励追溯产品目录"}
