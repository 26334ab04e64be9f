"""The write path: explicit fields, unknown fields refused, the model's ``full_clean()`` run."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.exceptions import django_errors
from core.models import Region

# --- strict JSON types: DRF would turn 12 into "12", "true" into True and "5" into 5 ----------


class _StrictText:
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(_StrictText, serializers.CharField):
    """Text (a JSON string). Like every DRF CharField it refuses NUL and trims surrounding
    whitespace, so a required one needs a character that is not a space; the schema says both
    (``core.api.schema.StrictCharFieldExtension``)."""


class StrictSlugField(_StrictText, serializers.SlugField):
    pass


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,58}[A-Za-z0-9])?"
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
#: A web address as the API takes it: an RFC 3986 URI (ASCII; other characters percent-encoded)
#: that Django's URLValidator accepts too — its schemes, a host of one to three labels and a
#: top-level domain of two letters or more, an optional port, path, query and fragment. The
#: schema shows this pattern beside ``format: uri``, which alone is wider than the server.
URL_PATTERN = (
    rf"^(?:https?|ftps?)://(?:{_LABEL}\.){{1,3}}[A-Za-z]{{2,63}}(?::[0-9]{{1,5}})?"
    rf"(?:/(?:{_PCHAR}|/)*)?(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?$"
)


class StrictURLField(_StrictText, serializers.URLField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(
            RegexValidator(
                URL_PATTERN,
                _(
                    "웹 주소는 http:// 또는 https://로 시작하는 주소여야 하고, 한글 등 ASCII가 "
                    "아닌 문자는 퍼센트 인코딩(예: %%ED%%95%%9C)해야 합니다."
                ),
                code="invalid_url",
            )
        )


class StrictEmailField(_StrictText, serializers.EmailField):
    pass


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class _StrictInteger:
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(_StrictInteger, serializers.IntegerField):
    pass


class StrictBigIntegerField(_StrictInteger, serializers.BigIntegerField):
    pass


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id: a JSON integer (not "5", not true)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


#: The 17 region codes: the reference data of ``core/migrations/0002_load_regions.py`` (the one
#: list), so the schema can name them without a database.
REGION_CODES: tuple[str, ...] = tuple(
    row[0] for row in import_module("core.migrations.0002_load_regions").REGIONS
)


class RegionCodeField(serializers.SlugRelatedField):
    """A region given by its two-digit code (one of ``REGION_CODES``; the schema lists them)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Region.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def run_validation(self, data=serializers.empty):
        if data == "":  # DRF turns "" into null for relations; a region code is never empty
            self.fail("invalid")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) != 2 or not data.isdigit():
            self.fail("invalid")
        return super().to_internal_value(data)


INTEGER_BOUNDS = {
    "SmallIntegerField": (-32768, 32767),
    "PositiveSmallIntegerField": (0, 32767),
    "IntegerField": (-2147483648, 2147483647),
    "PositiveIntegerField": (0, 2147483647),
    "BigIntegerField": (-9223372036854775808, 9223372036854775807),
    "PositiveBigIntegerField": (0, 9223372036854775807),
}


def constraint_bounds(model) -> dict[str, dict[str, object]]:
    """Literal bounds the model's check constraints put on single fields, e.g.
    ``Q(amount_krw__gte=0)`` or ``Q(fiscal_year__isnull=True) | (Q(fiscal_year__gte=1948) &
    Q(fiscal_year__lte=2100))``: ``{"fiscal_year": {"min_value": 1948, "max_value": 2100}}``.
    The write serializer applies them, so the schema states them (rules across fields stay
    with the model's ``full_clean()``)."""
    bounds: dict[str, dict] = {}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            _collect_bounds(constraint.condition, bounds)
    return bounds


def _collect_bounds(node, bounds: dict) -> None:
    if isinstance(node, tuple):
        name, value = node
        for suffix, key in (("__gte", "min_value"), ("__lte", "max_value")):
            if (
                name.endswith(suffix)
                and "__" not in name[: -len(suffix)]
                and isinstance(value, int | Decimal)
                and not isinstance(value, bool)
            ):
                bounds.setdefault(name[: -len(suffix)], {})[key] = value
        return
    if node.negated:
        return
    if node.connector == models.Q.AND:
        for child in node.children:
            _collect_bounds(child, bounds)
        return
    # (field is null) OR (bounds of that field): the field's bounds when it is set
    nulls = [c for c in node.children if isinstance(c, tuple) and c == (c[0], True)]
    nulls = [c[0].removesuffix("__isnull") for c in nulls if c[0].endswith("__isnull")]
    rest = [c for c in node.children if not (isinstance(c, tuple) and c[0].endswith("__isnull"))]
    if len(nulls) == 1 and len(rest) == 1:
        inner: dict = {}
        _collect_bounds(rest[0], inner)
        if set(inner) == set(nulls):
            bounds.setdefault(nulls[0], {}).update(inner[nulls[0]])


class ValidatedModelSerializer(serializers.ModelSerializer):
    """Base of every write serializer (``<Model>WriteSerializer``).

    * a key that is not a field answers 400 (``{"colour": ["알 수 없는 필드입니다."]}``);
    * the instance with the new values runs ``full_clean()`` — field validators, ``clean()``
      and the named constraints — and its errors answer 400 per field;
    * the row and its many-to-many links are saved in one transaction.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.BigIntegerField: StrictBigIntegerField,
        models.BooleanField: StrictBooleanField,
        models.CharField: StrictCharField,
        models.EmailField: StrictEmailField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.SlugField: StrictSlugField,
        models.SmallIntegerField: StrictIntegerField,
        models.TextField: StrictCharField,
        models.URLField: StrictURLField,
    }
    serializer_choice_field = StrictChoiceField
    serializer_related_field = StrictPrimaryKeyRelatedField

    default_error_messages = {
        "unknown": _("알 수 없는 필드입니다."),
        "not_a_list": _("id 목록이어야 합니다."),
    }

    def build_standard_field(self, field_name, model_field):
        """Integer bounds from the field type (PostgreSQL's ranges), not from the database in use:
        the schema, and what is accepted, must not change with the backend."""
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        bounds = INTEGER_BOUNDS.get(model_field.get_internal_type())
        if bounds is not None:
            low, high = bounds
            if kwargs.get("min_value") is not None:
                low = max(low, kwargs["min_value"])
            if kwargs.get("max_value") is not None:
                high = min(high, kwargs["max_value"])
            kwargs["min_value"], kwargs["max_value"] = low, high
        model = getattr(getattr(self, "Meta", None), "model", None) or model_field.model
        for key, value in constraint_bounds(model).get(field_name, {}).items():
            current = kwargs.get(key)
            if current is None:
                kwargs[key] = value
            else:
                kwargs[key] = max(current, value) if key == "min_value" else min(current, value)
        return field_class, kwargs

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {key: [self.error_messages["unknown"]] for key in unknown}
                )
            # DRF would take any iterable (an object, a string of digits) as a list of ids.
            not_lists = [
                name
                for name, field in self.fields.items()
                if isinstance(field, serializers.ManyRelatedField)
                and name in data
                and not isinstance(data[name], list)
            ]
            if not_lists:
                raise serializers.ValidationError(
                    {name: [self.error_messages["not_a_list"]] for name in not_lists}
                )
        return super().to_internal_value(data)

    def _many_to_many_names(self) -> set[str]:
        return {f.name for f in self.Meta.model._meta.many_to_many}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        m2m = self._many_to_many_names()
        instance = self.instance if self.instance is not None else self.Meta.model()
        for name, value in attrs.items():
            if name not in m2m:
                setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_errors(exc)) from exc
        self._clean_instance = instance
        return attrs

    def _save(self, validated_data) -> models.Model:
        instance = self._clean_instance
        m2m = self._many_to_many_names()
        with transaction.atomic():
            instance.save()
            for name, value in validated_data.items():
                if name in m2m:
                    getattr(instance, name).set(value)
        return instance

    def create(self, validated_data):
        return self._save(validated_data)

    def update(self, instance, validated_data):
        return self._save(validated_data)


# --- preconditions: If-Match (RFC 9110 §13.1.1) or ``version`` in the body ---------------------

MAX_VERSION = 2**63 - 1


def checked_version(value, name: str) -> int:
    """``value`` as a record version (1..2**63-1), else a 400 naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        number = None
    elif isinstance(value, int):
        number = value
    else:
        text = value.strip()
        number = int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else None
    if number is None or not 1 <= number <= MAX_VERSION:
        raise serializers.ValidationError(
            {name: [_("버전은 1부터 %(max)d까지의 정수여야 합니다.") % {"max": MAX_VERSION}]}
        )
    return number


@dataclass(frozen=True)
class EntityTag:
    opaque: str  # without quotes
    weak: bool = False
    quoted: bool = True


IF_MATCH_ERROR = _(
    'If-Match는 쉼표로 구분한 ETag 목록("…" 또는 W/"…"), 기록의 version 숫자, 또는 *여야 합니다.'
)


def parse_if_match(value: str) -> list[EntityTag] | None:
    """``If-Match`` as an RFC 9110 list: ``*`` (None), or entity-tags ``"…"`` / ``W/"…"``.

    A quoted tag may contain commas (only ``"`` ends it). A bare number is accepted as well:
    the record's ``version``, as documented for clients that send ``If-Match: 3``. Anything
    else — an unclosed quote, a bare word — answers 400 naming the header."""
    text = value.strip()
    if text == "*":
        return None
    tags: list[EntityTag] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in " \t,":
            i += 1
            continue
        weak = text.startswith("W/", i)
        if weak:
            i += 2
        if i < n and text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise serializers.ValidationError({"If-Match": [IF_MATCH_ERROR]})
            tags.append(EntityTag(text[i + 1 : end], weak=weak))
            i = end + 1
        elif not weak:
            end = text.find(",", i)
            end = n if end < 0 else end
            token = text[i:end].strip()
            if not (token.isascii() and token.isdigit()):
                raise serializers.ValidationError({"If-Match": [IF_MATCH_ERROR]})
            tags.append(EntityTag(token, quoted=False))
            i = end
        else:
            raise serializers.ValidationError({"If-Match": [IF_MATCH_ERROR]})
        # after a tag: only whitespace, then a comma or the end
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] != ",":
            raise serializers.ValidationError({"If-Match": [IF_MATCH_ERROR]})
    if not tags:
        raise serializers.ValidationError({"If-Match": [IF_MATCH_ERROR]})
    return tags


@dataclass(frozen=True)
class Precondition:
    """What a write was based on: ``given`` (If-Match or ``version`` sent at all), ``holds``
    (it names the record as it is now) and ``base_version`` (the version it names, if any)."""

    given: bool
    holds: bool = False
    base_version: int | None = None


def evaluate_precondition(request, instance, current_etag: Callable[[], str]) -> Precondition:
    """Compare the write's precondition with ``instance`` (its ``version`` and, lazily, the
    opaque part of its detail ETag).

    ``If-Match`` first: it holds when ANY listed tag matches, with the strong comparison
    RFC 9110 requires (a weak ``W/"…"`` tag never matches). A numeric tag is a version.
    Without the header, ``version`` in the JSON body."""
    header = request.headers.get("If-Match", "")
    if header.strip():
        tags = parse_if_match(header)
        if tags is None:  # "*": the record exists
            return Precondition(given=True, holds=True, base_version=instance.version)
        versions = [
            checked_version(tag.opaque, "If-Match")
            for tag in tags
            if tag.opaque.isascii() and tag.opaque.isdigit()
        ]
        base = versions[0] if versions else None
        for tag in tags:
            if tag.weak:
                continue
            if tag.opaque.isascii() and tag.opaque.isdigit():
                if int(tag.opaque) == instance.version:
                    return Precondition(given=True, holds=True, base_version=instance.version)
            elif tag.opaque == current_etag():
                return Precondition(given=True, holds=True, base_version=instance.version)
        return Precondition(given=True, holds=False, base_version=base)
    body = request.data.get("version") if isinstance(request.data, Mapping) else None
    if body is None:
        return Precondition(given=False)
    version = checked_version(body, "version")
    return Precondition(given=True, holds=version == instance.version, base_version=version)


def shape_write_serializer(shape, **declared) -> type[ValidatedModelSerializer]:
    """The write serializer of a resource, its fields derived from the resource's shape
    (``core.api.shapes``): the editable fields staff can read and its lists of references.

    Regions are written by their code, renamed fields under the name the API shows (``link``
    for a model's ``url``); ``declared`` adds or overrides fields.
    """
    model = shape.model
    fields = shape.write_fields()
    attrs: dict = {"__module__": model.__module__}
    probe = ValidatedModelSerializer()
    for f in shape.model_fields(staff=True):
        key = shape.key(f)
        if key not in fields or key in declared:
            continue
        optional = {"required": False} if f.blank or f.has_default() else {}
        if f.is_relation and f.related_model is Region:
            attrs[key] = RegionCodeField(allow_null=f.null, **optional)
        elif key != f.name:
            field_class, kwargs = probe.build_standard_field(f.name, f)
            attrs[key] = field_class(source=f.name, **kwargs)
    attrs.update(declared)
    attrs["Meta"] = type(
        "Meta", (), {"model": model, "fields": fields, "read_only_fields": ("id", "version")}
    )
    return type(f"{model.__name__}WriteSerializer", (ValidatedModelSerializer,), attrs)
