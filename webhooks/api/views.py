"""``/api/v1/changes/``: the changes feed (``webhooks/changes.py``)."""

import base64
import binascii
import datetime
import re

import orjson
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core.api.renderers import ORJSONRenderer
from core.api.viewsets import ApiViewSet
from webhooks import changes
from webhooks.models import ChangeEntry
from webhooks.serializers import PUBLIC_RECORDS


def _types_pattern() -> str:
    one = "(" + "|".join(re.escape(t) for t in PUBLIC_RECORDS) + ")"
    return f"^{one}?(,{one}?)*$"  # as the view reads it: empty items are skipped


DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class CursorExpired(APIException):
    status_code = 410
    default_code = "cursor_expired"
    default_detail = _(
        "이 cursor는 보관 기간이 지난 위치를 가리킵니다. 목록을 처음부터 다시 읽고 변경 피드를 "
        "처음부터 따라가세요."
    )


class ChangeSerializer(serializers.Serializer):
    """One change of a public record."""

    type = serializers.ChoiceField(
        choices=sorted(PUBLIC_RECORDS), help_text="Record type (`app.model`)."
    )
    id = serializers.CharField(help_text="The record's id.")
    action = serializers.ChoiceField(
        choices=ChangeEntry.Action.choices,
        help_text="`created` (also: became public, e.g. an embargo lifted), `updated` (a public "
        "field changed) or `deleted` (a tombstone; also: stopped being public).",
    )
    time = serializers.DateTimeField(help_text="When the change happened (Korean time).")
    url = serializers.URLField(
        allow_null=True,
        help_text="The API resource showing the record now (for a nested record, e.g. a budget "
        "line, the record whose detail holds it); null when none is public.",
    )


class ChangePageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    next = serializers.URLField(
        help_text="Where to continue (always given: poll it for later changes)."
    )
    cursor = serializers.CharField(help_text="The opaque position after the last result.")
    more = serializers.BooleanField(help_text="Whether `next` already has more changes.")


class ChangeViewSet(ApiViewSet):
    """Every create, update and delete of a public record, oldest first; resumable from
    `cursor` (from `next`). Deleted records are tombstones (`action: deleted`). Kept for
    `CHANGES_RETENTION_DAYS` (90) days."""

    queryset = ChangeEntry.objects.none()
    serializer_class = ChangePageSerializer
    pagination_class = None
    filterset_class = None
    filter_backends = []
    extra_query_parameters = {"list": ("cursor", "limit", "type")}
    cursor_expires = True  # documents the 410 of an expired cursor
    retrieve = None  # a feed has no detail (the router leaves the route out)

    def get_queryset(self):
        return ChangeEntry.objects.all()

    def get_renderers(self):
        return [ORJSONRenderer()]  # no CSV: a feed is read in order, page after page

    @extend_schema(
        parameters=[
            OpenApiParameter("cursor", str, description="Opaque position from `next` / `cursor`."),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description=f"Changes per answer, 1–{MAX_LIMIT} ({DEFAULT_LIMIT}).",
            ),
            OpenApiParameter(
                "type",
                # exactly the record types the feed knows, comma-separated (another answers 400)
                {"type": "string", "pattern": _types_pattern()},
                description="Only these record types (comma-separated `app.model`).",
            ),
        ],
        responses=ChangePageSerializer,
    )
    def list(self, request, *args, **kwargs):
        params = request.query_params
        limit = DEFAULT_LIMIT
        if params.get("limit", "") != "":
            limit = _limit(params["limit"])
        types = [t for t in params.get("type", "").split(",") if t]
        unknown = sorted(set(types) - set(PUBLIC_RECORDS))
        if unknown:
            raise ValidationError(
                {
                    "type": [
                        _("알 수 없는 레코드 종류: %(bad)s. 쓸 수 있는 값: %(ok)s.")
                        % {"bad": ", ".join(unknown), "ok": ", ".join(sorted(PUBLIC_RECORDS))}
                    ]
                }
            )
        position = decode(params.get("cursor", ""))
        if (
            position is not None
            and position.recorded_at < (timezone.now() - changes.retention()).timestamp()
        ):
            raise CursorExpired()
        rows = changes.entries_after(position, limit, types)
        more = len(rows) > limit
        rows = rows[:limit]
        ctx = self.read_context()
        prefixes: dict[str, str] = {}
        results = []
        for *_ids, record_type, record_id, action, occurred_at, res, res_id in rows:
            url = None
            if res:
                if res not in prefixes:
                    prefixes[res] = ctx.url_prefix(res)
                url = f"{prefixes[res]}{res_id}/"
            results.append(
                {
                    "type": record_type,
                    "id": record_id,
                    "action": action,
                    "time": timezone.localtime(occurred_at).isoformat(),
                    "url": url,
                }
            )
        if rows:
            xid, pk, recorded_at = rows[-1][:3]
            position = changes.Position(xid, pk, recorded_at.timestamp())
        cursor = encode(position)
        next_url = request.build_absolute_uri()
        next_url = replace_query_param(next_url, "cursor", cursor) if cursor else next_url
        body = {"results": results, "next": next_url, "cursor": cursor, "more": more}
        headers = {"Link": f'<{next_url}>; rel="next"'}
        return Response(body, headers=headers)


def encode(position: changes.Position | None) -> str:
    if position is None:
        return ""
    payload = orjson.dumps([position.xid, position.id, int(position.recorded_at)])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode(raw: str) -> changes.Position | None:
    if raw == "":
        return None
    try:
        xid, pk, recorded_at = orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if not (
            (xid is None or isinstance(xid, int))
            and isinstance(pk, int)
            and isinstance(recorded_at, int)
        ):
            raise ValueError
        datetime.datetime.fromtimestamp(recorded_at, tz=datetime.UTC)
    except (ValueError, TypeError, OverflowError, OSError, binascii.Error) as exc:
        raise ValidationError(
            {
                "cursor": [
                    _("cursor가 올바르지 않습니다. 변경 피드 응답의 next에 있는 값을 쓰세요.")
                ]
            },
            code="invalid_cursor",
        ) from exc
    return changes.Position(xid, pk, recorded_at)


def _limit(raw: str) -> int:
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 6 and 1 <= int(text) <= MAX_LIMIT):
        raise ValidationError(
            {"limit": [_("limit은 1부터 %(max)d까지의 정수여야 합니다.") % {"max": MAX_LIMIT}]}
        )
    return int(text)
