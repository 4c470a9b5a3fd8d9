"""Names, places and identity codes of the simulated city (上海市), from word lists written here.

Everything is drawn from one ``random.Random`` so a seed gives the same city. Codes are valid:
USCCs carry the GB 11714 check of their organisation code and the GB 32100 mod-31 check (computed
by python-stdnum), GTINs and GLNs the GS1 mod-10 check digit (GS1 General Specifications §7.9).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from stdnum import ean
from stdnum.cn import uscc

from zhuisu.domain.codes.base import gb11714_check
from zhuisu.subjects.identity import region_name

#: GB/T 2260 codes of 上海市's districts (python-stdnum's region list knows every one).
DISTRICTS: dict[str, str] = {
    "310101": "黄浦区",
    "310104": "徐汇区",
    "310105": "长宁区",
    "310106": "静安区",
    "310107": "普陀区",
    "310109": "虹口区",
    "310110": "杨浦区",
    "310112": "闵行区",
    "310113": "宝山区",
    "310114": "嘉定区",
    "310115": "浦东新区",
    "310116": "金山区",
    "310117": "松江区",
    "310118": "青浦区",
    "310120": "奉贤区",
    "310151": "崇明区",
}
CITY_REGION = "310000"
#: the suburban districts where farms, planting bases and plants are
SUBURBS = ("310116", "310117", "310118", "310120", "310151", "310114", "310113")
#: the central districts where markets, shops and hospitals are
URBAN = ("310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310115")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
    "袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国海峰宁斌婷雪琳晨浩宇欣怡子轩梓涵嘉"
_BRANDS = _words(
    "申江 沪丰 浦源 东海 金穗 春晖 鑫达 宏泰 瑞丰 恒昌 永盛 佳禾 绿洲 润民 天顺 华联 百信 嘉和 "
    "安泰 新亚 光明 海纳 祥和 兴隆 德润 福临 锦程 长青 明珠 松苑 青禾 丰泽 源鑫 康达 万家 惠民"
)
_ROADS = _words(
    "南京东路 淮海中路 肇嘉浜路 延安西路 长寿路 四川北路 控江路 沪闵路 牡丹江路 城中路 世纪大道 "
    "卫零路 人民北路 华青路 南桥路 城桥镇八一路 共和新路 漕宝路 曹杨路 龙吴路 张杨路 松汇路"
)
_PLATE_LETTERS = "ABCDEFGHJKLMN"


@dataclass(slots=True)
class Namer:
    """Draws names and codes; remembers what it gave out so no two subjects share one."""

    rng: random.Random
    _used: set[str]

    @classmethod
    def seeded(cls, rng: random.Random) -> Namer:
        return cls(rng, set())

    def _fresh(self, make: Callable[[], str]) -> str:
        for _ in range(1000):
            value = make()
            if value not in self._used:
                self._used.add(value)
                return value
        raise RuntimeError("the word lists ran out of distinct names")  # pragma: no cover

    def person(self) -> str:
        rng = self.rng
        given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
        return rng.choice(_SURNAMES) + given

    def enterprise(self, region: str, trade: str) -> str:
        """``上海{brand}{trade}``, e.g. 上海申江生猪养殖场, or with the district (unique in the city)."""
        district = DISTRICTS.get(region, "").removesuffix("区").removesuffix("新")
        city = "上海" if region.startswith("31") else "包头"

        def make() -> str:
            if self.rng.random() < 0.5 or not district:
                return f"{city}{self.rng.choice(_BRANDS)}{self.rng.choice(_BRANDS)}{trade}"
            return f"{city}{district}{self.rng.choice(_BRANDS)}{trade}"

        return self._fresh(make)

    def address(self, region: str) -> str:
        if region not in DISTRICTS:  # outside the city: the region's own name
            return f"{region_name(region) or region}矿区路{self.rng.randint(1, 199)}号".replace(" ", "")
        return f"上海市{DISTRICTS[region]}{self.rng.choice(_ROADS)}{self.rng.randint(1, 1999)}号"

    def phone(self) -> str:
        return f"1{self.rng.choice('3589')}{self.rng.randint(0, 999_999_999):09d}"

    def plate(self) -> str:
        return f"沪{self.rng.choice(_PLATE_LETTERS)}{self.rng.randint(10000, 99999)}"

    def uscc(self, region: str, *, authority: str = "9", entity: str = "1") -> str:
        """A USCC (GB 32100): authority + entity type + region + organisation code (GB 11714) + check."""

        def make() -> str:
            body = f"{self.rng.randint(0, 99_999_999):08d}"
            head = f"{authority}{entity}{region}{body}{gb11714_check(body)}"
            return head + uscc.calc_check_digit(head)

        return self._fresh(make)

    def gs1_prefix(self) -> str:
        """A 9-digit GS1 China company prefix (690-695 are GS1 China's ranges)."""
        return self._fresh(lambda: f"69{self.rng.randint(0, 5)}{self.rng.randint(0, 999_999):06d}")

    def number(self, prefix: str, digits: int) -> str:
        return self._fresh(lambda: f"{prefix}{self.rng.randint(0, 10**digits - 1):0{digits}d}")


def gtin13(company_prefix: str, item: int) -> str:
    """A GTIN-13: company prefix (9) + item reference (3) + GS1 mod-10 check digit."""
    body = f"{company_prefix}{item:03d}"
    return body + ean.calc_check_digit(body)


def gln13(company_prefix: str, location: int) -> str:
    body = f"{company_prefix}{location:03d}"
    return body + ean.calc_check_digit(body)
