"""An SVG map of Korea drawn on the server from the npm package @svg-maps/south-korea.

The package (CC BY 4.0) is installed by npm at setup; its SVG is read once per process and the
17 provinces are matched to our two-digit region codes. Without the package (no node on the
machine) ``map_data()`` returns None and the template shows the region list on its own.
"""

import json
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.models import region_usual_position

register = template.Library()

PACKAGE = "@svg-maps/south-korea"

# The package's location ids → standard two-digit region codes (core.Region.code).
REGION_CODES = {
    "seoul": "11",
    "busan": "26",
    "daegu": "27",
    "incheon": "28",
    "gwangju": "29",
    "daejeon": "30",
    "ulsan": "31",
    "sejong": "36",
    "gyeonggi": "41",
    "north-chungcheong": "43",
    "south-chungcheong": "44",
    "south-jeolla": "46",
    "north-gyeongsang": "47",
    "south-gyeongsang": "48",
    "jeju": "50",
    "gangwon": "51",
    "north-jeolla": "52",
}

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def _rings(d: str) -> list[list[tuple[float, float]]]:
    """The closed rings of a path written with relative ``m`` moves, implicit lines and ``z``."""
    rings, ring = [], []
    x = y = 0.0
    start = (0.0, 0.0)
    for chunk in re.split(r"(?=[mMzZ])", d):
        chunk = chunk.strip()
        if not chunk:
            continue
        command, numbers = chunk[0], [float(n) for n in _NUMBER.findall(chunk[1:])]
        if command in "zZ":
            if ring:
                rings.append(ring)
            ring, (x, y) = [], start
            continue
        relative = command == "m"
        for i in range(0, len(numbers) - 1, 2):
            dx, dy = numbers[i], numbers[i + 1]
            x, y = (x + dx, y + dy) if relative else (dx, dy)
            if i == 0:
                start = (x, y)
            ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def _label_point(d: str) -> tuple[float, float]:
    """Area centroid of the largest ring (the mainland part of a province with islands)."""
    best, best_area = (0.0, 0.0), -1.0
    for ring in _rings(d):
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area and abs(area) > best_area:
            best_area = abs(area)
            best = (cx / (3 * area), cy / (3 * area))
    return round(best[0], 1), round(best[1], 1)


@lru_cache(maxsize=4)
def _load(directory: str):
    package_dir = Path(directory) / PACKAGE
    svg_file = package_dir / "south-korea.svg"
    if not svg_file.is_file():
        return None
    root = ET.parse(svg_file).getroot()
    locations = []
    for path in root.iter("{http://www.w3.org/2000/svg}path"):
        code = REGION_CODES.get(path.get("id", ""))
        if code:
            d = path.get("d", "")
            label_x, label_y = _label_point(d)
            locations.append({"code": code, "d": " ".join(d.split()), "x": label_x, "y": label_y})
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    return {
        "view_box": root.get("viewBox", "0 0 524 631"),
        "locations": sorted(locations, key=lambda loc: loc["code"]),
        "package": PACKAGE,
        "version": meta.get("version", ""),
        "license": meta.get("license", ""),
        "author": str(meta.get("author", "")).split("<")[0].strip(),
    }


def map_data():
    """Geometry and attribution of the installed package, or None when it is not installed."""
    return _load(str(settings.NODE_MODULES_DIR))


@register.inclusion_tag("public/includes/korea_map.html")
def korea_map(regions, marked_codes, label=""):
    """Draw every province; those in ``marked_codes`` are filled and labelled.

    ``regions`` are core.Region rows (for names); ``label`` is the map's accessible name.
    """
    english = (translation.get_language() or "ko")[:2] == "en"
    names = {r.code: (r.name_en if english else r.short_name) for r in regions}
    full_names = {r.code: ((r.name_en if english else "") or r.name) for r in regions}
    marked = set(marked_codes)
    data = map_data()
    shapes = []
    if data:
        for loc in data["locations"]:
            shapes.append(
                {
                    **loc,
                    "marked": loc["code"] in marked,
                    "name": names.get(loc["code"], ""),
                    "full_name": full_names.get(loc["code"], ""),
                    # Each province links to its region page (keyboard: Tab through them).
                    "url": reverse("region-detail", args=[loc["code"]]),
                }
            )
    # The provinces in the usual order of the regions, so Tab moves 서울, 부산, … 제주.
    shapes.sort(key=lambda shape: region_usual_position(shape["code"]))
    return {"map": data, "shapes": shapes, "label": label}
