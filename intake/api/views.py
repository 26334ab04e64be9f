"""``POST /api/v1/intake/`` (staff): the proposals of a text or file, as the CLI prints them.

Pasted text (``text``) or a file (``file``, multipart) with optional ``published``
(YYYY-MM-DD) and ``url``. A small input is analysed in the request and answered with 200 and
``{"source", "articles"}``; a large file becomes a Celery job: 202 with ``Location`` pointing at
``GET /api/v1/intake/{id}/`` (``status``, ``progress`` 0–100 and, when ready, ``result``). The
answer is stored as an intake that staff review and accept in the admin.
"""

import datetime as dt

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.permissions import StaffOnly
from core.api.renderers import ORJSONRenderer

from ..models import IntakeDocument
from ..propose import public_answer
from ..readers import IntakeInputError
from ..services import intake_document_create

_ERROR = OpenApiResponse(
    {
        "type": "object",
        "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        "required": ["detail"],
    },
    description="An error: `detail` (Korean) and, for refused input, `code` "
    "(empty, too_large, too_long, hwp_unsupported, unsupported_type, bad_file, no_text, ...).",
)
_JOB = inline_serializer(
    "IntakeJob",
    {
        "id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "progress": serializers.IntegerField(),
        "error": serializers.CharField(),
        "result": serializers.JSONField(allow_null=True),
    },
)


def _error(code, detail, http=status.HTTP_400_BAD_REQUEST):
    return Response({"code": code, "detail": detail}, status=http)


class IntakeViewSet(viewsets.ViewSet):
    """Press-release intake (staff only): proposals with their evidence, nothing written."""

    permission_classes = [StaffOnly]
    renderer_classes = [ORJSONRenderer]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = IntakeDocument.objects.none()  # model permissions: intake.add_intakedocument

    def get_queryset(self):
        queryset = IntakeDocument.objects.all()
        from core import scoping

        if scoping.restricted_region_ids(self.request.user) is not None:
            queryset = queryset.filter(user=self.request.user)
        return queryset

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "IntakeUpload",
                {
                    "file": serializers.FileField(required=False),
                    "text": serializers.CharField(required=False),
                    "published": serializers.DateField(required=False),
                    "url": serializers.URLField(required=False),
                },
            ),
            "application/json": inline_serializer(
                "IntakeText",
                {
                    "text": serializers.CharField(),
                    "published": serializers.DateField(required=False),
                    "url": serializers.URLField(required=False),
                },
            ),
        },
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT, description='{"source": {...}, "articles": [...]}'
            ),
            202: _JOB,
            400: _ERROR,
            401: _ERROR,
            403: _ERROR,
            413: _ERROR,
            415: _ERROR,
            429: _ERROR,
        },
    )
    def create(self, request):
        if not hasattr(request.data, "get"):
            return _error("bad_body", "본문은 JSON 객체이거나 multipart 양식이어야 합니다.")
        published = request.data.get("published") or None
        if published:
            try:
                published = dt.date.fromisoformat(str(published))
            except ValueError:
                return _error("bad_date", "발행일은 YYYY-MM-DD 형식이어야 합니다.")
        upload = request.FILES.get("file")
        text = request.data.get("text") or ""
        if not isinstance(text, str):
            return _error("bad_text", "text는 문자열이어야 합니다.")
        if upload is None and not text.strip():
            return _error("empty", "text 또는 file을 보내 주세요.")
        try:
            intake = intake_document_create(
                user=request.user,
                text=text,
                upload=upload,
                published=published,
                url=str(request.data.get("url") or ""),
            )
        except IntakeInputError as error:
            http = (
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
                if error.code == "too_large"
                else status.HTTP_400_BAD_REQUEST
            )
            return _error(error.code, error.message, http)
        location = request.build_absolute_uri(f"{request.path.rstrip('/')}/{intake.pk}/")
        if intake.status == IntakeDocument.Status.FAILED:
            return _error("unreadable", intake.error)
        if intake.status != IntakeDocument.Status.READY:
            return Response(
                _job(intake), status=status.HTTP_202_ACCEPTED, headers={"Location": location}
            )
        return Response(public_answer(intake.result), headers={"Location": location})

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "id", int, OpenApiParameter.PATH, description="The intake's id (from `Location`)."
            )
        ],
        responses={
            200: _JOB,
            304: OpenApiResponse(description="Not modified: the If-None-Match ETag still matches."),
            400: _ERROR,
            401: _ERROR,
            403: _ERROR,
            404: _ERROR,
            429: _ERROR,
        },
    )
    def retrieve(self, request, pk=None):
        intake = self.get_queryset().filter(pk=pk).first() if str(pk).isdigit() else None
        if intake is None:
            raise NotFound("이 입수를 찾을 수 없습니다.")
        return Response(_job(intake))


def _job(intake):
    return {
        "id": intake.pk,
        "status": intake.status,
        "progress": intake.progress,
        "error": intake.error,
        "result": public_answer(intake.result) if intake.status in ("ready", "done") else None,
    }
