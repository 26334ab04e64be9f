"""The catalogue record of the open data in DCAT-AP (JSON-LD), for the national open-data
portal's harvester: the catalogue, its one dataset, and the dataset's distributions (the ZIP,
its ``datapackage.json``, the REST API)."""

from django.conf import settings
from django.urls import reverse

from .models import DataPackage

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dct:issued": {"@type": "xsd:dateTime"},
    "dct:modified": {"@type": "xsd:dateTime"},
    "dcat:byteSize": {"@type": "xsd:nonNegativeInteger"},
}
EU = "http://publications.europa.eu/resource/authority/"
DATA_PACKAGE_SPEC = "https://specs.frictionlessdata.io/data-package/"
OPENAPI_SPEC = "https://spec.openapis.org/oas/v3.0.3"


def _lang(ko: str, en: str) -> list[dict]:
    return [{"@language": "ko", "@value": ko}, {"@language": "en", "@value": en}]


def catalog(absolute, package: DataPackage | None) -> dict:
    """The DCAT-AP record; ``absolute(path)`` makes a site path an absolute URL."""
    zip_url = absolute(reverse("opendata-download"))
    distributions = [
        {
            "@id": zip_url,
            "@type": "dcat:Distribution",
            "dct:title": _lang(
                "전체 공개 데이터 (CSV·JSON, ZIP)", "All open data (CSV and JSON, ZIP)"
            ),
            "dcat:accessURL": {"@id": zip_url},
            "dcat:downloadURL": {"@id": zip_url},
            "dcat:mediaType": {
                "@id": "https://www.iana.org/assignments/media-types/application/zip"
            },
            "dct:format": {"@id": f"{EU}file-type/ZIP"},
            "dct:conformsTo": {"@id": DATA_PACKAGE_SPEC},
            "dct:license": {"@id": settings.OPENDATA_LICENSE_URL},
        },
        {
            "@id": absolute(reverse("opendata-datapackage")),
            "@type": "dcat:Distribution",
            "dct:title": _lang("데이터 패키지 기술서", "Data package descriptor"),
            "dcat:accessURL": {"@id": absolute(reverse("opendata-datapackage"))},
            "dcat:downloadURL": {"@id": absolute(reverse("opendata-datapackage"))},
            "dcat:mediaType": {
                "@id": "https://www.iana.org/assignments/media-types/application/json"
            },
            "dct:format": {"@id": f"{EU}file-type/JSON"},
            "dct:conformsTo": {"@id": DATA_PACKAGE_SPEC},
            "dct:license": {"@id": settings.OPENDATA_LICENSE_URL},
        },
        {
            "@id": absolute("/api/v1/"),
            "@type": "dcat:Distribution",
            "dct:title": _lang("REST API (JSON, CSV)", "REST API (JSON, CSV)"),
            "dcat:accessURL": {"@id": absolute("/api/v1/")},
            "dcat:mediaType": {
                "@id": "https://www.iana.org/assignments/media-types/application/json"
            },
            "dct:format": {"@id": f"{EU}file-type/JSON"},
            "dct:conformsTo": {"@id": OPENAPI_SPEC},
            "foaf:page": {"@id": absolute(reverse("api-docs"))},
            "dct:license": {"@id": settings.OPENDATA_LICENSE_URL},
        },
    ]
    dataset = {
        "@id": absolute(reverse("opendata-catalog")) + "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": "sme-ai-transformation-tracker",
        "dct:title": _lang(settings.OPENDATA_TITLE, settings.OPENDATA_TITLE_EN),
        "dct:description": _lang(
            "중소기업 AI 전환 지원사업의 사업·예산·지역·기업·참여·수상·행사·AI 활용 통계의 모든 공개 레코드.",
            settings.OPENDATA_DESCRIPTION,
        ),
        "dcat:keyword": list(settings.OPENDATA_KEYWORDS),
        "dcat:theme": [{"@id": f"{EU}data-theme/ECON"}, {"@id": f"{EU}data-theme/TECH"}],
        "dct:language": [{"@id": f"{EU}language/KOR"}, {"@id": f"{EU}language/ENG"}],
        "dct:spatial": {"@id": f"{EU}country/KOR"},
        "dct:accrualPeriodicity": {"@id": f"{EU}frequency/DAILY"},
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": settings.OPENDATA_PUBLISHER},
        "dct:license": {"@id": settings.OPENDATA_LICENSE_URL},
        "dct:accessRights": {"@id": f"{EU}access-right/PUBLIC"},
        "dcat:landingPage": {"@id": absolute("/")},
        "dcat:distribution": distributions,
    }
    if settings.OPENDATA_CONTACT_EMAIL:
        dataset["dcat:contactPoint"] = {
            "@type": "vcard:Organization",
            "vcard:fn": settings.OPENDATA_PUBLISHER,
            "vcard:hasEmail": {"@id": f"mailto:{settings.OPENDATA_CONTACT_EMAIL}"},
        }
    if package is not None:
        modified = package.finished_at.isoformat()
        dataset["dct:modified"] = modified
        distributions[0].update(
            {
                "dct:modified": modified,
                "dcat:byteSize": package.size_bytes,
                "spdx:checksum": {
                    "@type": "spdx:Checksum",
                    "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                    "spdx:checksumValue": package.sha256,
                },
            }
        )
    return {
        "@context": CONTEXT,
        "@id": absolute(reverse("opendata-catalog")),
        "@type": "dcat:Catalog",
        "dct:title": _lang(settings.OPENDATA_TITLE, settings.OPENDATA_TITLE_EN),
        "dct:description": _lang(settings.OPENDATA_TITLE, settings.OPENDATA_DESCRIPTION),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": settings.OPENDATA_PUBLISHER},
        "dct:license": {"@id": settings.OPENDATA_LICENSE_URL},
        "foaf:homepage": {"@id": absolute("/")},
        "dcat:dataset": [dataset],
    }
