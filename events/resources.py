"""Spreadsheet columns of events, with an optional agenda item on each row.

An event is keyed by name + date (Asia/Seoul); its agenda item by event + order. An event with
five agenda items takes five rows that repeat the event columns.
"""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from core.resources import (
    CLEAR,
    KEEP,
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    IntegerWidget,
    StaffImportResource,
    TextWidget,
    TimeWidget,
    column,
    is_blank,
    region_widget,
)

from .models import SEOUL, AgendaItem, Event

AGENDA_COLUMNS = {
    "order": "일정 순서",
    "starts_at": "일정 시작",
    "ends_at": "일정 종료",
    "title": "일정 제목",
    "kind": "일정 종류",
    "presenter_note": "발표 주체",
}


class PressBooleanWidget(BooleanWidget):
    """언론 공개: blank means open to the press (the model's default)."""

    def clean(self, value, row=None, **kwargs):
        return True if is_blank(value) else super().clean(value, row=row, **kwargs)


def event_slug(name: str, date: datetime.date) -> str:
    """A stable slug for an imported event, so importing the file again finds the same row."""
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"event-{date:%Y%m%d}-{digest}"


class EventResource(StaffImportResource):
    """One row per event (and agenda item)."""

    name = column("name", "행사명")
    date = fields.Field(column_name="날짜", widget=DateWidget())
    start = fields.Field(column_name="시작 시각", widget=TimeWidget())
    end = fields.Field(column_name="종료 시각", widget=TimeWidget())
    kind = column(
        "kind",
        "종류",
        ChoiceWidget(
            Event.Kind.choices,
            synonyms={
                "선포식": "ceremony",
                "기념식": "ceremony",
                "출범식": "ceremony",
                "발대식": "ceremony",
                "콘퍼런스": "conference",
                "컨퍼런스·포럼": "conference",
                "포럼": "conference",
                "심포지엄": "conference",
                "세미나": "conference",
                "협의회": "council_meeting",
                "협의체": "council_meeting",
                "토론": "debate",
                "설명회": "meeting",
                "간담": "meeting",
                "전시회": "exhibition",
                "박람회": "exhibition",
                "시상": "award_ceremony",
                "교육과정": "training",
                "워크숍": "training",
                "투자설명회": "ir",
            },
        ),
    )
    venue_name = column("venue_name", "장소")
    venue_address = column("venue_address", "장소 주소")
    city = column("city", "도시")
    region = column("region", "지역", region_widget())
    attendee_count_approx = column("attendee_count_approx", "참석 인원(약)", IntegerWidget())
    summary = column("summary", "개요")
    open_to_press = column("open_to_press", "언론 공개", PressBooleanWidget())
    slug = column("slug", "슬러그")

    required_columns = ["행사명", "날짜", "종류"]
    name_columns = ["행사명", "날짜"]
    error_columns = {"starts_at": "날짜", "ends_at": "종료 시각", "time_is_known": "시작 시각"}
    derived_fields = {"starts_at": "날짜", "slug": "날짜"}
    extra_import_columns = list(AGENDA_COLUMNS.values())

    class Meta(StaffImportResource.Meta):
        model = Event
        name = "행사·일정"
        fields = (
            "name",
            "date",
            "start",
            "end",
            "kind",
            "venue_name",
            "venue_address",
            "city",
            "region",
            "attendee_count_approx",
            "summary",
            "open_to_press",
            "slug",
        )

    def dehydrate_date(self, event):
        return event.local_date.isoformat()

    def dehydrate_start(self, event):
        return event.starts_at.astimezone(SEOUL).strftime("%H:%M") if event.time_is_known else ""

    def dehydrate_end(self, event):
        return event.ends_at.astimezone(SEOUL).strftime("%H:%M") if event.ends_at else ""

    def natural_key(self, row):
        if is_blank(row.get("행사명")) or is_blank(row.get("날짜")):
            return None
        date = DateWidget().clean(row.get("날짜"))
        start = datetime.datetime.combine(date, datetime.time(), SEOUL)
        return {
            "name": TextWidget().clean(row.get("행사명")),
            "starts_at__gte": start,
            "starts_at__lt": start + datetime.timedelta(days=1),
        }

    def row_key(self, row):
        key = super().row_key(row)
        if key is None:
            return None
        order = row.get(AGENDA_COLUMNS["order"])
        return (*key, ("order", None if is_blank(order) else str(order).strip()))

    def key_columns(self) -> list[str]:
        return ["행사명", "날짜", AGENDA_COLUMNS["order"]]

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        stored_slug = instance.slug
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        moments = {}
        # the date is part of the key; for a stored event a blank time keeps the stored time,
        # the clear marker makes it unknown (start) or removes it (end)
        cells = (
            ("날짜", DateWidget(), False),
            ("시작 시각", TimeWidget(), not self._new),
            ("종료 시각", TimeWidget(), not self._new),
        )
        for header, widget, keep_blank in cells:
            try:
                moments[header] = self.cell(row, header, widget, keep_blank=keep_blank)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        date, start, end = moments.get("날짜"), moments.get("시작 시각"), moments.get("종료 시각")
        if date is not None and "시작 시각" not in errors:
            if start is not KEEP:
                start = None if start is CLEAR else start
                instance.starts_at = datetime.datetime.combine(
                    date, start or datetime.time(), SEOUL
                )
                instance.time_is_known = start is not None
            if end is not KEEP:
                end = None if end is CLEAR else end
                instance.ends_at = datetime.datetime.combine(date, end, SEOUL) if end else None
            if not instance.slug and instance.name:
                # a blank slug cell keeps the stored slug; new events get a stable one
                instance.slug = stored_slug or event_slug(instance.name, date)
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        c = AGENDA_COLUMNS
        if all(is_blank(row.get(header)) for header in c.values()):
            return
        values, errors = {}, {}
        parsers = {
            "order": IntegerWidget(),
            "starts_at": TimeWidget(),
            "ends_at": TimeWidget(),
            "title": TextWidget(),
            "kind": ChoiceWidget(AgendaItem.Kind.choices),
            "presenter_note": TextWidget(),
        }
        for name, widget in parsers.items():
            try:
                values[name] = self.cell(row, c[name], widget)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        for name in ("order", "starts_at", "ends_at", "title", "kind"):
            if name not in errors and values.get(name) in (None, ""):
                errors[c[name]] = [_("일정을 적으려면 이 항목이 필요합니다.")]
        if errors:
            raise ValidationError(errors)
        day = instance.local_date
        values["starts_at"] = datetime.datetime.combine(day, values["starts_at"], SEOUL)
        values["ends_at"] = datetime.datetime.combine(day, values["ends_at"], SEOUL)
        order = values.pop("order")
        self.save_child(
            AgendaItem,
            lookup={"event": instance, "order": order},
            values=values,
            errors_as={**c, "*": c["title"]},
        )

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = queryset.select_related("region")
        return super().export(queryset=queryset, **kwargs)
