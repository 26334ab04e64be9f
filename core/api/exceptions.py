"""Exception handling of the API: model validation → 400, protected rows → 409, never a 500."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Conflict."
    default_code = "conflict"


def django_errors(exc: DjangoValidationError) -> dict:
    """A model ValidationError as DRF field errors (``__all__`` becomes ``non_field_errors``)."""
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): [
                str(message) for error in errors for message in error.messages
            ]
            for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_errors(exc))
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        names = sorted({obj._meta.verbose_name for obj in exc.args[1]}) if len(exc.args) > 1 else []
        exc = Conflict(
            _("다른 기록이 이 기록을 참조합니다(%(names)s). 먼저 그 기록을 지우세요.")
            % {"names": ", ".join(str(n) for n in names)}
        )
    elif isinstance(exc, IntegrityError):
        exc = Conflict(_("다른 기록과 충돌하여 아무것도 저장하지 않았습니다."))
    elif isinstance(exc, exceptions.ValidationError) and not isinstance(exc.detail, dict):
        exc = exceptions.ValidationError({"non_field_errors": exc.detail})
    return exception_handler(exc, context)
