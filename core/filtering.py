"""Filter building blocks shared by every app's ``filters.py`` (django-filter FilterSets used by
the API and the pages alike).

Filters validate their input: a malformed value answers 400 with the parameter's error (the
django-filter backend raises), never a silent empty result or a server error.
"""

import datetime
import re
import zoneinfo

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")

REGION_CODE_PATTERN = r"^[0-9]{2}$"
#: The codes of the 17 regions (core/0002_load_regions), in code order.
REGION_CODES = (
    "11", "26", "27", "28", "29", "30", "31", "36", "41",
    "43", "44", "46", "47", "48", "50", "51", "52",
)  # fmt: skip
ID_OR_SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,80}$"
MAX_ID = 2**63 - 1
#: ``updated_since`` as the server reads it: an RFC 3339 date-time whose offset lies within
#: ±14:00 (``SinceField``) and whose year leaves room for it (1000–8999).
SINCE_PATTERN = (
    r"^[1-8][0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3])"
    r":[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))$"
)


class SinceField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time; a ``+`` of the offset that arrived as a space (an unencoded query
    string) is put back. Without an offset the time is Korean time (``TIME_ZONE``)."""

    default_error_messages = {
        "invalid": _(
            "ISO 8601 날짜·시각이어야 합니다. 예: 2026-11-21T09:00:00+09:00 또는 2026-11-21T00:00:00Z."
        )
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            value = re.sub(r" (\d{2}:?\d{2})$", r"+\1", value)
        parsed = super().to_python(value)
        if parsed is None:
            return None
        # Real offsets lie within ±14:00 (PostgreSQL refuses larger ones); pass UTC on.
        offset = parsed.utcoffset()
        if offset is not None and abs(offset) > datetime.timedelta(hours=14):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return parsed.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class SinceFilter(django_filters.IsoDateTimeFilter):
    field_class = SinceField


UPDATED_SINCE_HELP = _(
    "Rows changed at or after this ISO 8601 date-time (e.g. 2026-11-21T09:00:00+09:00); "
    "without an offset, Korean time."
)


class ApiFilterSet(django_filters.FilterSet):
    """Base FilterSet of the API (one per resource, named ``<Model>FilterSet``).

    Every resource whose model has ``updated_at`` also gets ``updated_since``: the "changed
    since" query external dashboards poll to fetch only what changed since their last call."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        model = getattr(cls._meta, "model", None)
        if model is not None and "updated_since" not in filters:
            names = {f.name for f in model._meta.get_fields()}
            if "updated_at" in names:
                filters["updated_since"] = extend_schema_field(
                    documented(
                        {"type": "string", "format": "date-time", "pattern": SINCE_PATTERN},
                        UPDATED_SINCE_HELP,
                    )
                )(
                    SinceFilter(
                        field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP
                    )
                )
        return filters


def documented(schema: dict, help_text) -> dict:
    """A filter's parameter schema with its description (spectacular drops it otherwise)."""
    return {**schema, "description": str(help_text)}


def validate_region_code(value: str) -> None:
    """A code of one of the 17 regions (reference data): ``region=99`` answers 400."""
    from core.models import Region

    if re.fullmatch(r"[0-9]{2}", value or "") and not Region.objects.filter(code=value).exists():
        raise forms.ValidationError(
            _("%(code)s은(는) 없는 지역 코드입니다. 17개 시도의 두 자리 코드(예: 48)를 쓰세요."),
            code="invalid",
            params={"code": value},
        )


def region_code_filter(field_name: str, help_text: str = "", **kwargs) -> django_filters.CharFilter:
    """``region=48``: the two-digit code of an existing region; another answers 400."""
    help_text = help_text or _("Two-digit region code, e.g. 48 (경상남도).")
    return extend_schema_field(
        # The 17 codes are reference data: the schema lists them, so a client (or schemathesis)
        # never takes a well-formed but absent code such as 00 for a valid value.
        documented({"type": "string", "enum": list(REGION_CODES)}, help_text)
    )(
        django_filters.CharFilter(
            field_name=field_name,
            validators=[
                RegexValidator(REGION_CODE_PATTERN, _("A two-digit region code.")),
                validate_region_code,
            ],
            help_text=help_text,
            **kwargs,
        )
    )


class StrictBooleanField(forms.TypedChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs["choices"] = [("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")]
        kwargs["coerce"] = lambda value: value in ("true", "1")
        kwargs["empty_value"] = None
        kwargs.pop("max_length", None)
        super().__init__(*args, **kwargs)


class StrictBooleanFilter(django_filters.Filter):
    """``true`` / ``false`` (or 1 / 0); anything else answers 400 instead of being ignored."""

    field_class = StrictBooleanField


def boolean_filter(help_text: str, **kwargs) -> StrictBooleanFilter:
    return extend_schema_field(documented({"type": "boolean"}, help_text))(
        StrictBooleanFilter(help_text=help_text, **kwargs)
    )


class IdOrSlugFilter(django_filters.CharFilter):
    """``program=12`` or ``program=regional-ai-transformation``: a related record by id or slug."""

    def __init__(self, *args, slug_field: str = "slug", **kwargs):
        self.slug_field = slug_field
        kwargs.setdefault("validators", [RegexValidator(ID_OR_SLUG_PATTERN, _("An id or a slug."))])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        if value.isdigit():
            if int(value) > MAX_ID:
                return qs.none()
            return qs.filter(**{f"{self.field_name}__id": int(value)})
        return qs.filter(**{f"{self.field_name}__{self.slug_field}": value})


def id_or_slug_filter(field_name: str, help_text: str, slug_field: str = "slug") -> IdOrSlugFilter:
    return extend_schema_field(
        documented({"type": "string", "pattern": ID_OR_SLUG_PATTERN}, help_text)
    )(IdOrSlugFilter(field_name=field_name, slug_field=slug_field, help_text=help_text))


class IdFilter(django_filters.NumberFilter):
    """A related record by id (a positive integer)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def id_filter(field_name: str, help_text: str, **kwargs) -> IdFilter:
    return extend_schema_field(
        documented({"type": "integer", "minimum": 1, "maximum": MAX_ID}, help_text)
    )(IdFilter(field_name=field_name, help_text=help_text, **kwargs))


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1948)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


def year_filter(help_text: str, **kwargs) -> YearFilter:
    return extend_schema_field(
        documented({"type": "integer", "minimum": 1948, "maximum": 2100}, help_text)
    )(YearFilter(help_text=help_text, **kwargs))


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight in Seoul: dates in filters are Korean calendar dates."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SEOUL)


def choice_filter(choices, help_text: str, field_name: str | None = None):
    return django_filters.ChoiceFilter(choices=choices, help_text=help_text, field_name=field_name)
