"""``ApiViewSet``: the one base class of every API viewset.

It holds what every resource shares, so each app's viewset stays a short declaration:

* rows come from the models' visibility rule (``visible_to``: the public set for anonymous
  callers, every row for staff; the region scope only with ``?scope=mine``) and are built by
  the resource's ``Shape`` (``values_list()`` + one query per nested list, rendered by orjson)
  instead of model instances and nested serializers; the schema serializers derive from the
  same shapes;
* lists are paginated, filtered (django-filter), searched and strictly ordered, and also
  served as CSV (``?format=csv``: every matching row, UTF-8 with BOM);
* GET answers carry an ETag (a hash of the body; ``If-None-Match`` → 304) and, for flat
  records, Last-Modified;
* writes (``ApiWriteMixin``) validate with the write serializer and the model's
  ``full_clean()``; ``perform_create`` / ``perform_update`` / ``perform_destroy`` are the
  hooks for optimistic locking (If-Match / version → 412; neither → 428).
"""

import datetime
import hashlib

from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import (
    MethodNotAllowed,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.viewsets import GenericViewSet

from core.api import compiled
from core.api.exceptions import UnknownParameter, api_exception_handler
from core.api.filters import ApiFilterBackend, ApiSearchFilter, StrictOrderingFilter
from core.api.pagination import ApiPagination
from core.api.parsers import ORJSONParser
from core.api.renderers import CSVRenderer, ORJSONRenderer, csv_columns
from core.api.schema import ApiAutoSchema
from core.api.shapes import ReadContext, Shape
from core.api.writing import Precondition, evaluate_precondition
from core.filtering import MAX_ID
from core.history import changes_since, stale_message
from core.models import StaleVersionError
from core.scoping import can_change

CSV_CHUNK = 1000


class ApiViewSet(GenericViewSet):
    """Read side of every resource; writable resources add ``ApiWriteMixin``."""

    shape: Shape
    detail_shape: Shape | None = None
    # Derived from the shapes (for the schema and CSV columns).
    serializer_class = None
    detail_serializer_class = None
    write_serializer_class = None

    # The URL value is tried as the primary key when it is all digits, else as ``slug_field``.
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9]+"
    lookup_description = "Numeric id."
    slug_field: str | None = None
    # Django field name holding the digits-only lookup ("pk"; "code" for regions).
    number_field = "pk"

    ordering: tuple[str, ...] = ("id",)
    ordering_fields: dict = {}
    ordering_public: tuple[str, ...] = ()
    search_fields: tuple[str, ...] = ()
    filterset_class = None
    last_modified = False
    public_read = True

    # From settings (tokens: ``staff/api/authentication.py``). Token first: an anonymous write
    # is told 401 with ``WWW-Authenticate: Token``.
    authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    renderer_classes = [ORJSONRenderer, CSVRenderer]
    parser_classes = [ORJSONParser]
    filter_backends = [ApiFilterBackend, ApiSearchFilter, StrictOrderingFilter]
    pagination_class = ApiPagination
    schema = ApiAutoSchema()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "shape" in cls.__dict__:
            cls.serializer_class = cls.shape.serializer()
        if cls.__dict__.get("detail_shape") is not None:
            cls.detail_serializer_class = cls.detail_shape.serializer()

    # --- queryset and lookup ------------------------------------------------------------------

    def read_context(self) -> ReadContext:
        """Who reads, at what moment (one per request: every query of it sees the same
        embargo boundary)."""
        ctx = getattr(self.request, "_read_context", None)
        if ctx is None:
            ctx = self.request._read_context = ReadContext(self.request)
        return ctx

    def get_queryset(self, at=None):
        """The resource's rows as this caller may read them: the model's visibility rule at
        ``at`` (default: the request's moment), and the region scope when asked for with
        ``?scope=mine``. Writes check the region scope of the record itself (``can_change``)."""
        return self.read_context().visible(super().get_queryset(), at)

    def request_key(self):
        """Everything a read's querysets are built from besides the moment, so that their SQL
        is compiled once per key (``core.api.compiled``): the view and action, public or
        staff, the language, the path with its query string, the day. None — built every
        time — for writes and for reads that depend on the caller (``?scope=mine``)."""
        ctx = self.read_context()
        if ctx.mine or self.request.method not in ("GET", "HEAD"):
            return None
        return (
            type(self),
            self.action,
            ctx.is_staff,
            get_language(),
            self.request.get_full_path(),
            timezone.localdate(ctx.at),
        )

    def lookup_filter(self, queryset):
        value = self.kwargs[self.lookup_url_kwarg]
        if value.isdigit() and self.number_field:
            if self.number_field == "pk" and int(value) > MAX_ID:
                raise Http404
            return queryset.filter(**{self.number_field: value})
        if self.slug_field:
            return queryset.filter(**{self.slug_field: value})
        raise Http404

    def get_object(self):
        obj = self.lookup_filter(self.get_queryset()).first()
        if obj is None:
            raise Http404
        self.check_object_permissions(self.request, obj)
        return obj

    # --- strict query parameters --------------------------------------------------------------

    #: Query parameters every action reads (``format=json|csv``, ``scope=mine``).
    common_query_parameters = (api_settings.URL_FORMAT_OVERRIDE, "scope")

    @classmethod
    def allowed_query_parameters(cls, action: str | None) -> tuple[str, ...]:
        """The query parameters ``action`` reads, derived from what the view declares once:
        its FilterSet's filters, ``search`` (when it has search fields), ``ordering`` (when
        it has ordering fields), pagination (``cursor``, ``page``, ``page_size``) and the
        common ones. Anything else answers 400 (``unknown_parameter``)."""
        cache = cls.__dict__.get("_allowed_parameters")
        if cache is None:
            cache = {}
            cls._allowed_parameters = cache
        if action not in cache:
            names = set(cls.common_query_parameters)
            if action == "list":
                if cls.filterset_class is not None:
                    names |= set(cls.filterset_class.base_filters)
                if cls.search_fields:
                    names.add(api_settings.SEARCH_PARAM)
                if cls.ordering_fields:
                    names.add(api_settings.ORDERING_PARAM)
                if cls.pagination_class is not None:
                    names |= set(cls.pagination_class().query_params())
            names |= set(getattr(cls, "extra_query_parameters", {}).get(action, ()))
            cache[action] = tuple(sorted(names))
        return cache[action]

    def check_query_parameters(self, request) -> None:
        allowed = self.allowed_query_parameters(getattr(self, "action", None))
        unknown = sorted(set(request.query_params) - set(allowed))
        if unknown:
            raise UnknownParameter(unknown, list(allowed))
        scope = request.query_params.get("scope", "")
        if scope not in ("", "mine"):
            raise ValidationError(
                {"scope": [_("scope에는 mine만 쓸 수 있습니다(담당 지역의 기록만).")]},
                code="invalid_parameter",
            )

    def initial(self, request, *args, **kwargs):
        if getattr(self, "action", None) is None and request.method != "OPTIONS":
            # A method the address does not take is 405 whoever asks (not a 403 first).
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)
        if getattr(self, "action", None) is not None:
            self.check_query_parameters(request)

    # --- rendering, negotiation, errors ------------------------------------------------------

    def get_renderers(self):
        if getattr(self, "action", None) == "list":
            return [renderer() for renderer in self.renderer_classes]
        return [ORJSONRenderer()]

    def perform_content_negotiation(self, request, force=False):
        if getattr(self, "action", None) is None:  # unrouted method: its 405 comes next
            force = True
        try:
            return super().perform_content_negotiation(request, force)
        except (NotFound, Http404) as exc:
            wanted = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
            allowed = ", ".join(r.format for r in self.get_renderers())
            raise ValidationError(
                {
                    "format": [
                        _("지원하지 않는 형식 %(f)r입니다. %(ok)s 중 하나를 쓰세요.")
                        % {"f": wanted, "ok": allowed}
                    ]
                }
            ) from exc

    def get_exception_handler(self):
        return api_exception_handler

    def csv_columns(self) -> list[tuple[str, tuple[str, ...]]]:
        """CSV header and value paths, from the list's read serializer."""
        return [
            (name, path)
            for name, path, _f in csv_columns(self.shape, staff=_is_staff(self.request))
        ]

    # --- reads --------------------------------------------------------------------------------

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        ctx = self.read_context()
        shape = self.shape
        columns = shape.columns(staff=ctx.is_staff)
        wants_csv = request.accepted_renderer.format == "csv"
        paged = self.paginator.is_paged(request)
        if wants_csv and not paged:
            rows = queryset.values_list(*columns)
            out = []
            start = 0
            while True:
                chunk = list(rows[start : start + CSV_CHUNK])
                out.extend(shape.build_page(ctx, chunk))
                if len(chunk) < CSV_CHUNK:
                    break
                start += CSV_CHUNK
            return Response(out, headers={"X-Total-Count": str(len(out))})
        # The sort key's values are read with the page, so the cursor of the next page costs
        # no extra query: from the shape's own columns when it has them, else as trailing
        # columns (the row builders read only the shape's own).
        keys, positions = {}, []
        for i, column in enumerate(self.paginator.cursor_columns(self)):
            if column in columns:
                positions.append(columns.index(column))
            else:
                positions.append(len(columns) + len(keys))
                keys[f"cursor_k{i}"] = F(column)
        # The page's and the count's SQL compiled once per request key (core/api/compiled.py);
        # ``queryset`` above was built for this request all the same: it validates the
        # parameters and settles the ordering the cursors follow.
        key = self.request_key()

        def rebuilt(at):
            return queryset if at is ctx.at else self.filter_queryset(self.get_queryset(at))

        rows = compiled.Lazy(
            key,
            lambda at: rebuilt(at).annotate(**keys).values_list(*columns, *keys),
            ctx.at,
            queryset.model,
        )
        count = compiled.Lazy(key, rebuilt, ctx.at, queryset.model)
        page = self.paginator.paginate_queryset(
            rows, request, view=self, count_queryset=count, key_positions=positions
        )
        return self.get_paginated_response(shape.build_page(ctx, page))

    def detail_rows(self, queryset) -> "list[dict]":
        return (self.detail_shape or self.shape).read(self.read_context(), queryset)

    def retrieve(self, request, *args, **kwargs):
        ctx = self.read_context()
        shape = self.detail_shape or self.shape
        columns = shape.columns(staff=ctx.is_staff)
        rows = compiled.record_rows(
            self.request_key(),
            lambda at: self.lookup_filter(self.get_queryset(at)).values_list(*columns),
            ctx.at,
        )
        if not rows:
            raise Http404
        return Response(shape.build_page(ctx, rows)[0])

    def read_one(self, pk) -> dict:
        """The detail representation of one row (used after a write)."""
        rows = self.detail_rows(self.get_queryset().filter(pk=pk))
        return rows[0] if rows else {}

    # --- conditional GET ----------------------------------------------------------------------

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            isinstance(response, Response)
            and response.status_code >= 400
            and getattr(response, "accepted_renderer", None) is not None
            and response.accepted_renderer.format != "json"
        ):
            response.accepted_renderer = ORJSONRenderer()
            response.accepted_media_type = ORJSONRenderer.media_type
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        user = getattr(request, "user", None)
        private = bool(user and user.is_authenticated)
        response["Cache-Control"] = "private, no-cache" if private else "public, no-cache"
        response.render()
        etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
        response["ETag"] = etag
        last_modified = None
        if self.last_modified and getattr(self, "action", None) == "retrieve":
            stamp = (getattr(response, "data", None) or {}).get("updated_at")
            if stamp:
                last_modified = int(datetime.datetime.fromisoformat(stamp).timestamp())
                response["Last-Modified"] = http_date(last_modified)
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        return not_modified or response

    # --- write hooks (routed by ApiWriteMixin) -----------------------------------------------

    def check_region_scope(self, serializer):
        """A regional editor may not create a record in, or move one to, another region (403).

        Also names the API user as the author of the change in the history.
        """
        instance = getattr(serializer, "_clean_instance", None)
        if instance is None:
            return
        if not can_change(self.request.user, instance):
            raise PermissionDenied(_("담당 지역이 아닌 기록은 만들거나 바꿀 수 없습니다."))
        instance._history_user = self.request.user

    def perform_create(self, serializer):
        self.check_region_scope(serializer)
        return serializer.save()

    def perform_update(self, serializer):
        """Region scope here; the version check (If-Match / ``version`` → 412) is in
        ``ApiWriteMixin.update`` and the save itself is ``UPDATE ... WHERE version = n``."""
        self.check_region_scope(serializer)
        return serializer.save()

    def perform_destroy(self, instance):
        if not can_change(self.request.user, instance):
            raise PermissionDenied(_("담당 지역이 아닌 기록은 지울 수 없습니다."))
        instance._history_user = self.request.user
        instance.delete()

    # --- optimistic locking -------------------------------------------------------------------

    def precondition(self, request, instance) -> Precondition:
        """The write's If-Match (RFC 9110 list: versions or the detail ETag) or body ``version``
        compared with the record (``core.api.writing.evaluate_precondition``)."""

        def current_etag() -> str:
            return hashlib.blake2b(
                ORJSONRenderer().render(self.read_one(instance.pk)), digest_size=16
            ).hexdigest()

        return evaluate_precondition(request, instance, current_etag)

    def precondition_failed(self, instance, base_version: int | None) -> Response:
        """412: the record changed since the version the client read; what changed, in Korean,
        bounded in size however long the record's history."""
        model = type(instance)
        since = changes_since(model, instance.pk, base_version)
        current = model._base_manager.filter(pk=instance.pk).values_list("version", flat=True)
        body = {
            "detail": stale_message(model, instance.pk, base_version, since),
            "code": "stale_version",
            **since.as_dict(),
            "current_version": current.first(),
        }
        return Response(body, status=status.HTTP_412_PRECONDITION_FAILED)

    def precondition_required(self, instance) -> Response:
        """428: a change or delete must say which version it is based on."""
        body = {
            "detail": _(
                "이 기록을 바꾸거나 지우려면 어느 버전을 보고 고쳤는지 알려 주세요: If-Match 헤더에 "
                '기록의 version(예: If-Match: "%(version)s")이나 상세 조회의 ETag를 보내거나, '
                "본문에 version을 넣어 주세요. 다른 사람의 변경을 덮어쓰지 않기 위한 확인입니다."
            )
            % {"version": instance.version},
            "code": "precondition_required",
            "current_version": instance.version,
        }
        return Response(body, status=status.HTTP_428_PRECONDITION_REQUIRED)


class ApiWriteMixin:
    """Create, replace, update and delete for resources that staff may change via the API.

    Mix in before ``ApiViewSet``. Needs a staff user with the model permission
    (``ReadPublicWriteWithModelPerms``); the answer is the detail representation.
    """

    def get_write_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        return self.write_serializer_class(*args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_write_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_create(serializer)
        data = self.read_one(instance.pk)
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})

    def checked_precondition(self, request, instance) -> Response | None:
        """428 without If-Match or ``version``, 412 when it names another version, else None."""
        precondition = self.precondition(request, instance)
        if not precondition.given:
            return self.precondition_required(instance)
        if not precondition.holds:
            return self.precondition_failed(instance, precondition.base_version)
        return None

    def update(self, request, *args, partial=False, **kwargs):
        instance = self.get_object()
        refused = self.checked_precondition(request, instance)
        if refused is not None:
            return refused
        serializer = self.get_write_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            self.perform_update(serializer)  # UPDATE ... WHERE version = the version read above
        except StaleVersionError as exc:  # someone saved between our read and our write
            return self.precondition_failed(instance, exc.expected_version)
        return Response(self.read_one(instance.pk))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        refused = self.checked_precondition(request, instance)
        if refused is not None:
            return refused
        self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _is_staff(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_staff)
