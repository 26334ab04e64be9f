"""The public search page: one ranked list over programs, regions, hubs, events, companies,
awards, people and statistics, with facets, typo suggestions and a "save this search" form.

The matching, ranking, facets and suggestions are ``core.search`` (the same index the API's
``search=`` and the program list use); only public records come back (each model's
``published()`` rule, applied at query time).
"""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import search as index
from core.models import Region
from core.templatetags.public import choice_label
from core.views import public_page

from .views import PUBLIC_MODELS

PAGE_SIZE = 50
QUERY_MAX = 100


def spec_models() -> dict:
    """record type → (model, spec)."""
    return {index.spec_of(m).type: (m, index.spec_of(m)) for m in index.searchable_models()}


def document_url(doc, spec) -> str | None:
    if not spec.url or (spec.url[1] and not doc.url_args):
        return None
    args = dict(doc.url_args)
    fragment = args.pop("#", "")
    try:
        url = reverse(spec.url[0], kwargs=args)
    except NoReverseMatch:
        return None
    return f"{url}#{fragment}" if fragment else url


def clean_filters(params, types) -> tuple[dict, list[str]]:
    """The facet filters of the request; a value no facet can take is dropped with a notice."""
    filters, notices = {}, []
    value = params.get("type", "")
    if value:
        if value in types:
            filters["type"] = value
        else:
            notices.append(_("알 수 없는 종류는 빼고 찾았습니다."))
    for name in ("kind", "status"):
        value = params.get(name, "")[:30]
        if value:
            filters[name] = value
    value = params.get("region", "")
    if value:
        if value.isdigit() and len(value) == 2:
            filters["region"] = value
        else:
            notices.append(_("지역은 두 자리 지역 코드입니다."))
    value = params.get("year", "")
    if value:
        if value.isdigit() and 1900 <= int(value) <= 2999:
            filters["year"] = value
        else:
            notices.append(_("연도는 1900–2999 사이의 네 자리 숫자입니다."))
    return filters, notices


def facet_lists(facets, types, filters) -> list[dict]:
    """The facets as lists of (value, label, count, selected) for the page."""
    english = (get_language() or "ko").startswith("en")
    regions = {r.code: r for r in Region.objects.in_usual_order()}
    position = {code: n for n, code in enumerate(regions)}

    def label_of(model, field, value):
        try:
            f = model._meta.get_field(field)
        except Exception:
            return value
        default = dict(f.flatchoices).get(value, value)
        return choice_label(model._meta.model_name, field, value, default)

    out = [
        {
            "name": "type",
            "title": _("종류"),
            "items": [
                (t, types[t][1].label, n, filters.get("type") == t)
                for t, n in sorted(facets["type"].items(), key=lambda kv: types[kv[0]][1].priority)
            ],
        }
    ]
    for name, title in (("kind", _("세부 종류")), ("status", _("상태"))):
        items = {}
        for (record_type, value), n in facets[name].items():
            model = types[record_type][0]
            field = index.spec_of(model).kind if name == "kind" else index.spec_of(model).status
            items.setdefault(value, [value, label_of(model, field, value), 0])[2] += n
        out.append(
            {
                "name": name,
                "title": title,
                "items": [
                    (v, label, n, filters.get(name) == v)
                    for v, label, n in sorted(items.values(), key=lambda i: (-i[2], str(i[1])))
                ],
            }
        )
    out.append(
        {
            "name": "region",
            "title": _("지역"),
            "items": [
                (
                    code,
                    (regions[code].name_en if english else regions[code].short_name)
                    if code in regions
                    else code,
                    n,
                    filters.get("region") == code,
                )
                for code, n in sorted(
                    facets["region"].items(), key=lambda kv: (position.get(kv[0], 99), kv[0])
                )
            ],
        }
    )
    out.append(
        {
            "name": "year",
            "title": _("연도"),
            "items": [
                (str(y), str(y), n, filters.get("year") == str(y))
                for y, n in sorted(facets["year"].items(), reverse=True)
            ],
        }
    )
    return [facet for facet in out if facet["items"]]


@public_page(models=PUBLIC_MODELS)
def search(request):
    q = request.GET.get("q", "").replace("\x00", "").strip()[:QUERY_MAX]
    types = spec_models()
    filters, notices = clean_filters(request.GET, types)
    english = (get_language() or "ko").startswith("en")
    result = None
    rows = []
    if q:
        result = index.search(q, filters=filters, limit=PAGE_SIZE)
        for doc in result.documents:
            _model, spec = types[doc.record_type]
            rows.append(
                {
                    "type": spec.label,
                    "title": (doc.title_en if english and doc.title_en else doc.title),
                    "snippet": (doc.snippet_en if english and doc.snippet_en else doc.snippet),
                    "url": document_url(doc, spec),
                    "name_hit": doc.name_hit,
                }
            )
    context = {
        "q": q,
        "result": result,
        "rows": rows,
        "total": result.total if result else 0,
        "facets": facet_lists(result.facets, types, filters) if result else [],
        "filters": filters,
        "notices": notices,
        "suggestions": result.suggestions if result else [],
    }
    return render(request, "public/search.html", context)
