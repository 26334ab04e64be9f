"""Atom feeds (django.contrib.syndication) of new and updated programs and calls, and of events:
all, per region (``?region=48``), per program (``?program=<slug>``), per kind (``?kind=call``).

Newest change first; an entry's id stays the same across updates (a tag URI of the record) and
its ``updated`` is the record's ``updated_at``, so a feed reader shows an update as such.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from events.models import Event
from programs.models import Program

from .channels import channel_filters, public_events, public_programs, tr

FEED_SIZE = 50


class _Feed(Feed):
    feed_type = Atom1Feed
    kinds = ()

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return channel_filters(request, self.kinds)

    def link(self, obj):
        return self.list_url

    def feed_guid(self, obj):
        return self.request.build_absolute_uri()

    def subtitle(self, obj):
        parts = []
        if obj.region:
            parts.append(tr(obj.region, "name"))
        if obj.program:
            parts.append(tr(obj.program, "name"))
        if obj.kind:
            parts.append(dict(self.kinds)[obj.kind])
        return " · ".join(str(p) for p in parts) or _("전체")

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at

    def item_guid(self, item):
        return f"tag:{self.request.get_host()},2025:{item._meta.label_lower}/{item.pk}"

    item_guid_is_permalink = False


class ProgramFeed(_Feed):
    """New and updated programs, calls (공고), policies... (``Program``)."""

    kinds = Program.Kind.choices
    list_url = "/programs/"

    def title(self, obj):
        return _("새 사업·공고와 바뀐 사업 — 중소기업 AI 전환 지원사업 트래커")

    def link(self, obj):
        return reverse("program-list")

    def items(self, obj):
        return public_programs(obj).order_by("-updated_at", "-id")[:FEED_SIZE]

    def item_title(self, item):
        return f"[{item.get_kind_display()}] {tr(item, 'name')}"

    def item_description(self, item):
        lines = [tr(item, "summary")]
        if item.application_start or item.application_end:
            lines.append(
                _("접수 기간: %(start)s ~ %(end)s")
                % {"start": item.application_start or "", "end": item.application_end or ""}
            )
        lines.append(_("상태: %(status)s") % {"status": item.get_status_display()})
        return " / ".join(str(line) for line in lines if line)

    def item_link(self, item):
        return reverse("program-detail", kwargs={"slug": item.slug})

    def item_categories(self, item):
        return [item.get_kind_display()]


class EventFeed(_Feed):
    """Events (embargoed ones once public), latest change first."""

    kinds = Event.Kind.choices

    def title(self, obj):
        return _("행사 — 중소기업 AI 전환 지원사업 트래커")

    def link(self, obj):
        return reverse("event-list")

    def items(self, obj):
        return public_events(obj).order_by("-updated_at", "-id")[:FEED_SIZE]

    def item_title(self, item):
        when = timezone.localtime(item.starts_at).date().isoformat()
        return f"{tr(item, 'name')} ({when})"

    def item_description(self, item):
        venue = tr(item, "venue_name")
        return " / ".join(str(x) for x in (tr(item, "summary"), venue) if x)

    def item_link(self, item):
        return reverse("event-detail", kwargs={"slug": item.slug})

    def item_pubdate(self, item):
        # an embargoed event is new to the public when its embargo lifts
        if item.embargo_until and item.embargo_until > item.created_at:
            return item.embargo_until
        return item.created_at

    def item_categories(self, item):
        return [item.get_kind_display()]

    def item_updateddate(self, item):
        return max(item.updated_at, self.item_pubdate(item))
