"""Reference data: the 17 metropolitan/provincial governments with their standard codes."""

from django.db import migrations

REGIONS = [
    ("11", "서울특별시", "서울", "Seoul", True),
    ("26", "부산광역시", "부산", "Busan", False),
    ("27", "대구광역시", "대구", "Daegu", False),
    ("28", "인천광역시", "인천", "Incheon", True),
    ("29", "광주광역시", "광주", "Gwangju", False),
    ("30", "대전광역시", "대전", "Daejeon", False),
    ("31", "울산광역시", "울산", "Ulsan", False),
    ("36", "세종특별자치시", "세종", "Sejong", False),
    ("41", "경기도", "경기", "Gyeonggi", True),
    ("43", "충청북도", "충북", "Chungbuk", False),
    ("44", "충청남도", "충남", "Chungnam", False),
    ("46", "전라남도", "전남", "Jeonnam", False),
    ("47", "경상북도", "경북", "Gyeongbuk", False),
    ("48", "경상남도", "경남", "Gyeongnam", False),
    ("50", "제주특별자치도", "제주", "Jeju", False),
    ("51", "강원특별자치도", "강원", "Gangwon", False),
    ("52", "전북특별자치도", "전북", "Jeonbuk", False),
]


def load(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    for code, name, short, name_en, capital in REGIONS:
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "name_en": name_en,
                "is_capital_area": capital,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("core", "Region").objects.filter(code__in=[r[0] for r in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
