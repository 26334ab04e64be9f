"""The write path: explicit fields, unknown fields refused, the model's ``full_clean()`` run."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
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
    pass


class StrictSlugField(_StrictText, serializers.SlugField):
    pass


class StrictURLField(_StrictText, serializers.URLField):
    pass


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


class RegionCodeField(serializers.SlugRelatedField):
    """A region given by its two-digit code."""

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
