"""Filters of the event and award lists."""

import datetime

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filtering import (
    ApiFilterSet,
    id_filter,
    id_or_slug_filter,
    region_code_filter,
    start_of_day,
    year_filter,
)
from events.models import Award, Event


class EventFilterSet(ApiFilterSet):
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices, help_text=_("Kind."))
    region = region_code_filter("region__code", _("Region of the venue (two-digit code)."))
    program = id_or_slug_filter("programs", _("Events related to this program (id or slug)."))
    date_from = django_filters.DateFilter(
        method="filter_date_from",
        help_text=_("Events still running on or after this date (Korean calendar date)."),
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to", help_text=_("Events starting on or before this date.")
    )
    parent = id_filter("parent", _("Side events of this main event (id)."))

    class Meta:
        model = Event
        fields = ["kind", "region", "program", "date_from", "date_to", "parent"]

    def filter_date_from(self, queryset, name, value):
        start = start_of_day(value)
        return queryset.filter(
            Q(ends_at__gte=start) | Q(ends_at__isnull=True, starts_at__gte=start)
        )

    def filter_date_to(self, queryset, name, value):
        if value >= datetime.date.max:
            return queryset
        return queryset.filter(starts_at__lt=start_of_day(value + datetime.timedelta(days=1)))


class AwardFilterSet(ApiFilterSet):
    program = id_or_slug_filter("program", _("Program behind the award (id or slug)."))
    event = id_or_slug_filter("event", _("Event where it was presented (id or slug)."))
    year = year_filter(_("Award year."))
    company = id_filter("recipient_company", _("Id of the recipient company."))

    class Meta:
        model = Award
        fields = ["program", "event", "year", "company"]
