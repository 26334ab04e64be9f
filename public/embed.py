"""Embeddable cards for partner sites: ``/embed/programs/<slug>/`` and ``/embed/regions/<code>/``
(Korean; English under ``/en/embed/...``).

A program card shows the budget figures side by side, each with its source (``programs.budget``:
one figure per source, never a sum across sources), the regions and their selection, and the
targets' progress; a region card lists the region's programs. Links open the full page in a new
tab.

Framing: these views, and only these, may be shown in a frame, and only by the origins in
``EMBED_ALLOWED_ORIGINS`` (environment): they send ``Content-Security-Policy: frame-ancestors``
with those origins and no ``X-Frame-Options`` (``config/security.py`` reads the view's
``frame_ancestors``). Every other page keeps ``frame-ancestors 'none'`` / ``X-Frame-Options: DENY``.
"""

import functools

from django.conf import settings
from django.shortcuts import get_object_or_404, render

from core.models import Region
from programs.budget import program_budget
from programs.models import BudgetLine, Program, RegionalParticipation, Target

from .channels import english


def allowed_origins() -> list[str]:
    return list(getattr(settings, "EMBED_ALLOWED_ORIGINS", []))


def framable(view):
    """The response may be framed by the allowed origins only (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True
        response.frame_ancestors = allowed_origins()
        return response

    return wrapper


@framable
def program_card(request, slug):
    program = get_object_or_404(
        Program.objects.published().select_related("lead_ministry"), slug=slug
    )
    lines = list(
        BudgetLine.objects.published()
        .filter(program=program)
        .select_related("source", "regional_participation__region")
        .order_by("source__published_at", "source_id", "id")
    )
    participations = list(
        RegionalParticipation.objects.published()
        .filter(program=program)
        .select_related("region")
        .order_by("region__code")
    )
    targets = list(
        Target.objects.published()
        .filter(program=program, regional_participation__isnull=True)
        .select_related("source")
        .order_by("id")[:5]
    )
    context = {
        "program": program,
        "budget": program_budget(lines),
        "participations": participations,
        "targets": targets,
        "english": english(),
    }
    return render(request, "public/embed/program.html", context)


@framable
def region_card(request, code):
    region = get_object_or_404(Region, code=code)
    participations = list(
        RegionalParticipation.objects.published()
        .filter(region=region)
        .select_related("program")
        .order_by("program__name")[:10]
    )
    context = {"region": region, "participations": participations, "english": english()}
    return render(request, "public/embed/region.html", context)
