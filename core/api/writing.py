"""The write path: explicit fields, unknown fields refused, the model's ``full_clean()`` run."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.exceptions import django_errors
from core.models import Region


class RegionCodeField(serializers.SlugRelatedField):
    """A region given by its two-digit code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Region.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) != 2 or not data.isdigit():
            self.fail("invalid")
        return super().to_internal_value(data)


class ValidatedModelSerializer(serializers.ModelSerializer):
    """Base of every write serializer (``<Model>WriteSerializer``).

    * a key that is not a field answers 400 (``{"colour": ["Unknown field."]}``);
    * the instance with the new values runs ``full_clean()`` — field validators, ``clean()``
      and the named constraints — and its errors answer 400 per field;
    * the row and its many-to-many links are saved in one transaction.
    """

    default_error_messages = {"unknown": _("Unknown field.")}

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {key: [self.error_messages["unknown"]] for key in unknown}
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
