"""Where China's provincial-level regions are, coarsely: the seat of each one's government.

Keyed by the first two digits of a GB/T 2260 region code. Coordinates are public facts (WGS 84,
rounded to 0.01°, ~1 km), enough for the one use they have here: a lower bound on how far apart two
places in different provinces are (chain/travel_checks.py). No boundaries, no map (DESIGN §5).
"""

from __future__ import annotations

import math

#: province code → (latitude, longitude) of its capital
CAPITALS: dict[str, tuple[float, float]] = {
    "11": (39.90, 116.41),  # 北京
    "12": (39.13, 117.20),  # 天津
    "13": (38.04, 114.51),  # 石家庄
    "14": (37.87, 112.55),  # 太原
    "15": (40.84, 111.75),  # 呼和浩特
    "21": (41.80, 123.43),  # 沈阳
    "22": (43.82, 125.32),  # 长春
    "23": (45.80, 126.53),  # 哈尔滨
    "31": (31.23, 121.47),  # 上海
    "32": (32.06, 118.80),  # 南京
    "33": (30.27, 120.15),  # 杭州
    "34": (31.82, 117.23),  # 合肥
    "35": (26.07, 119.30),  # 福州
    "36": (28.68, 115.86),  # 南昌
    "37": (36.65, 117.12),  # 济南
    "41": (34.75, 113.63),  # 郑州
    "42": (30.59, 114.31),  # 武汉
    "43": (28.23, 112.94),  # 长沙
    "44": (23.13, 113.26),  # 广州
    "45": (22.82, 108.37),  # 南宁
    "46": (20.04, 110.34),  # 海口
    "50": (29.56, 106.55),  # 重庆
    "51": (30.57, 104.07),  # 成都
    "52": (26.65, 106.63),  # 贵阳
    "53": (25.04, 102.71),  # 昆明
    "54": (29.65, 91.13),  # 拉萨
    "61": (34.34, 108.94),  # 西安
    "62": (36.06, 103.83),  # 兰州
    "63": (36.62, 101.78),  # 西宁
    "64": (38.49, 106.23),  # 银川
    "65": (43.83, 87.62),  # 乌鲁木齐
    "71": (25.03, 121.57),  # 台北
    "81": (22.32, 114.17),  # 香港
    "82": (22.20, 113.55),  # 澳门
}

EARTH_RADIUS_KM = 6371.0


def capital_distance_km(region_a: str, region_b: str) -> float | None:
    """Great-circle distance between the capitals of the provinces of two region codes, or None
    when either province is unknown."""
    a = CAPITALS.get(region_a[:2])
    b = CAPITALS.get(region_b[:2])
    if a is None or b is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
