"""What the feeds, calendars and the widget share: their filters (region, program, kind) and
the public rows they read (each model's ``published()`` rule, ``core.publication``)."""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.models import Region
from events.models import Event
from programs.models import Program


@dataclass
class ChannelFilters:
    region: Region | None = None
    program: Program | None = None
    kind: str = ""

    def query(self) -> str:
        parts = []
        if self.region:
            parts.append(f"region={self.region.code}")
        if self.program:
            parts.append(f"program={self.program.slug}")
        if self.kind:
            parts.append(f"kind={self.kind}")
        return "&".join(parts)


def channel_filters(request, kinds) -> ChannelFilters:
    """``?region=48&program=<slug>&kind=<kind>``; a value that names nothing answers 404 with a
    message naming the parameter (a subscribed calendar must not silently show everything)."""
    params = request.GET
    filters = ChannelFilters()
    code = params.get("region", "")
    if code:
        filters.region = Region.objects.filter(code=code[:2]).first() if len(code) == 2 else None
        if filters.region is None:
            raise Http404(_("region: 두 자리 지역 코드가 아닙니다."))
    slug = params.get("program", "")
    if slug:
        filters.program = Program.objects.published().filter(slug=slug[:80]).first()
        if filters.program is None:
            raise Http404(_("program: 그런 사업이 없습니다."))
    kind = params.get("kind", "")
    if kind:
        if kind not in dict(kinds):
            raise Http404(_("kind: 알 수 없는 종류입니다."))
        filters.kind = kind
    return filters


def public_events(filters: ChannelFilters):
    events = Event.objects.published().select_related("region", "parent")
    if filters.region:
        events = events.filter(region=filters.region)
    if filters.program:
        events = events.filter(programs=filters.program)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    return events


def public_programs(filters: ChannelFilters):
    programs = Program.objects.published().select_related("lead_ministry")
    if filters.region:
        programs = programs.filter(regional_participations__region=filters.region).distinct()
    if filters.program:  # the program and the calls and sub-programs under it
        programs = programs.filter(
            pk__in=[filters.program.pk, *filters.program.children.values_list("pk", flat=True)]
        )
    if filters.kind:
        programs = programs.filter(kind=filters.kind)
    return programs


def english() -> bool:
    return (get_language() or "ko").startswith("en")


def tr(obj, name: str) -> str:
    """``<name>_en`` on English pages when filled in, else the Korean field."""
    if english():
        value = getattr(obj, f"{name}_en", "")
        if value:
            return value
    return getattr(obj, name, "") or ""
