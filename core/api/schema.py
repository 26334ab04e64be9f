"""OpenAPI generation for the API viewsets (drf-spectacular), so every response is documented.

Beyond spectacular's defaults: requests use the write serializer and responses the read shape;
CSV lists are documented as ``text/csv`` strings; 304, 400, 401, 403, 404, 409 and 429 are
documented with their bodies and the ETag / Retry-After headers; GET is marked as open to
anonymous callers where it is.
"""

import copy

from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, build_parameter_type
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import SAFE_METHODS

from core.api.writing import REGION_CODES, ValidatedModelSerializer
from core.characters import QUERY_FORBIDDEN_CLASS, ecma_class

#: A free-text query value: anything but the control characters the request guard refuses.
QUERY_TEXT_PATTERN = f"^[^{ecma_class(QUERY_FORBIDDEN_CLASS)}]*$"
#: Body text: anything but NUL (DRF refuses it, PostgreSQL could not store it); "" is the
#: schema's second branch for a text that may be blank (drf-spectacular's ``oneOf``) ...
TEXT_PATTERN = r"^[^\u0000]+$"
#: ... and, where the text is required, one character that is not whitespace (DRF trims it).
REQUIRED_TEXT_PATTERN = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"


def _error_schema() -> dict:
    from core.api.exceptions import ERROR_CODES

    return {
        "type": "object",
        "description": (
            "Every API error: a stable `code` to branch on and a message (`detail`) in Korean, "
            "or English with `Accept-Language: en`. Parameter and field errors add `errors` "
            "(`{name: [message, …]}`); an unknown parameter adds `allowed` (the parameters "
            "the endpoint reads); a 429 adds `retry_after` (seconds). Codes: "
            + ", ".join(f"`{code}` ({status})" for code, (status, _m) in ERROR_CODES.items())
            + "."
        ),
        "properties": {
            "code": {"type": "string", "enum": list(ERROR_CODES)},
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {},
                "description": "Messages per query parameter, field or header "
                "(`non_field_errors` for the record as a whole).",
            },
            "allowed": {"type": "array", "items": {"type": "string"}},
            "retry_after": {"type": "integer", "minimum": 1},
        },
        "required": ["code", "detail"],
    }


ERROR_SCHEMA = _error_schema()
VALIDATION_ERROR_SCHEMA = ERROR_SCHEMA

PRECONDITION_FAILED_SCHEMA = {
    "type": "object",
    "description": "A write refused because the record changed since the version it was based "
    "on. Bounded whatever the record's history.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string", "enum": ["stale_version"]},
        "base_version": {
            "type": "integer",
            "nullable": True,
            "description": "The version the write named (null for a stale ETag).",
        },
        "current_version": {"type": "integer", "nullable": True},
        "saves_since": {"type": "integer", "description": "Saves after base_version."},
        "changed_by": {
            "type": "array",
            "maxItems": 10,
            "description": "The latest saves since base_version, oldest first.",
            "items": {
                "type": "object",
                "properties": {"user": {"type": "string"}, "at": {"type": "string"}},
                "required": ["user", "at"],
            },
        },
        "changed_by_truncated": {"type": "boolean"},
        "changes": {
            "type": "array",
            "maxItems": 30,
            "description": "Fields that differ between base_version and now (values cut to "
            "200 characters).",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "old": {"type": "string"},
                    "new": {"type": "string"},
                },
                "required": ["field", "old", "new"],
            },
        },
        "changes_truncated": {"type": "boolean"},
    },
    "required": [
        "detail",
        "code",
        "base_version",
        "current_version",
        "saves_since",
        "changed_by",
        "changed_by_truncated",
        "changes",
        "changes_truncated",
    ],
}
PRECONDITION_REQUIRED_SCHEMA = {
    "type": "object",
    "description": "A change or delete sent without If-Match or `version`.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string", "enum": ["precondition_required"]},
        "current_version": {"type": "integer"},
    },
    "required": ["detail", "code", "current_version"],
}

#: On every answer while a rate limit applies (core/api/throttling.py).
RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": {
        "schema": {"type": "integer"},
        "description": "Requests allowed in the current window.",
    },
    "RateLimit-Remaining": {
        "schema": {"type": "integer"},
        "description": "Requests left in the current window.",
    },
    "RateLimit-Reset": {
        "schema": {"type": "integer"},
        "description": "Seconds until the window resets.",
    },
    "RateLimit-Policy": {
        "schema": {"type": "string"},
        "description": "The limit and window, e.g. `120;w=60`.",
    },
}

WRITE_ACTIONS = {"create", "update", "partial_update", "destroy"}


class ApiAutoSchema(AutoSchema):
    """Schema of ``core.api.viewsets.ApiViewSet`` subclasses."""

    def _action(self) -> str | None:
        return getattr(self.view, "action", None)

    def _is_list_view(self, serializer=None) -> bool:
        # A feed answers one object (entries + cursor), not an array of them.
        if getattr(self.view, "cursor_expires", False):
            return False
        return super()._is_list_view(serializer)

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, ValidatedModelSerializer):
            # the write serializers refuse unknown keys (400 "알 수 없는 필드입니다.")
            schema["additionalProperties"] = False
        return schema

    def get_request_serializer(self):
        if self._action() in {"create", "update", "partial_update"}:
            return self.view.write_serializer_class
        return super().get_request_serializer()

    def get_response_serializers(self):
        action = self._action()
        if action == "list":
            return self.view.serializer_class
        if action in {"retrieve", "create", "update", "partial_update"}:
            return self.view.detail_serializer_class or self.view.serializer_class
        if action == "destroy":
            return None
        return super().get_response_serializers()

    def _get_parameters(self):
        parameters = super()._get_parameters()
        if self._action() in {"update", "partial_update", "destroy"}:
            parameters.append(
                {
                    "name": "If-Match",
                    "in": "header",
                    "required": False,
                    "description": "What the change is based on, as an RFC 9110 list: the "
                    'record\'s detail ETag (`"…"`, strong comparison) or its `version` (`3` or '
                    '`"3"`); the write goes ahead when any listed tag is current, `*` for '
                    "any version. A stale one answers 412 and changes nothing. Without "
                    "If-Match (or `version` in the body) the write answers 428.",
                    "schema": {"type": "string"},
                }
            )
        for parameter in parameters:
            if parameter.get("in") == "query":
                # `?region=&kind=program` is the same as `?kind=program` (HTML forms send that).
                parameter["allowEmptyValue"] = True
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"enum", "pattern", "format"} & set(
                    schema
                ):
                    schema["pattern"] = QUERY_TEXT_PATTERN
        return parameters

    def _get_format_parameters(self):
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            parameter["description"] = (
                "`csv` for a spreadsheet (UTF-8 with BOM) of every matching row — paginated "
                "only when page or page_size is given; `json` is the default."
            )
        return parameters

    def get_auth(self):
        """Public reads need no credentials: documented as ``security: [{}]`` alone, which
        Swagger UI shows without a padlock (any other alternative listed beside ``{}`` brings the
        padlock back). A staff token or session still adds the staff-only fields (the guide
        says so); writes and staff-only resources list the token and the session."""
        if self.method in SAFE_METHODS and getattr(self.view, "public_read", True):
            return [{}]
        return super().get_auth()

    def _resolve_path_parameters(self, variables):
        regex = getattr(self.view, "lookup_value_regex", "[0-9]+")
        description = getattr(self.view, "lookup_description", "")
        parameters = []
        for variable in variables:
            if variable != self.view.lookup_url_kwarg:
                parameters.extend(super()._resolve_path_parameters([variable]))
                continue
            if regex == "[0-9]+":
                schema = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
            else:
                schema = {"type": "string", "pattern": f"^{regex}$"}
            parameters.append(
                build_parameter_type(
                    name=variable,
                    location=OpenApiParameter.PATH,
                    description=description,
                    schema=schema,
                )
            )
        return parameters

    def _component(self, name: str, schema: dict) -> dict:
        # A copy: spectacular's enum post-processing rewrites the schema in place (an inline
        # enum becomes a $ref), and a second generation in the same process must start from
        # the original or it refers to an enum component it never creates.
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=copy.deepcopy(schema)
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _component_response(self, description: str, name: str, schema: dict) -> dict:
        return {
            "description": description,
            "content": {"application/json": {"schema": self._component(name, schema)}},
        }

    def _error(self, description: str, validation: bool = False, headers: dict | None = None):
        ref = (
            self._component("ValidationError", VALIDATION_ERROR_SCHEMA)
            if validation
            else self._component("Error", ERROR_SCHEMA)
        )
        response = {"description": description, "content": {"application/json": {"schema": ref}}}
        if headers:
            response["headers"] = headers
        return response

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        action = self._action()
        if action is None:
            return responses
        etag = {
            "ETag": {
                "schema": {"type": "string"},
                "description": "Hash of the body; send it back in If-None-Match to get 304.",
            }
        }
        if self.method == "GET":
            ok = responses.get("200")
            if ok is not None:
                ok.setdefault("headers", {}).update(etag)
                if "text/csv" in ok.get("content", {}):
                    ok["content"]["text/csv"] = {
                        "schema": {
                            "type": "string",
                            "description": "UTF-8 with BOM; one row per record, nested "
                            "fields as `parent.child` columns.",
                        }
                    }
            responses["304"] = {
                "description": "Not modified: the If-None-Match ETag still matches.",
                "headers": etag,
            }
            responses["400"] = self._error(
                "An unknown query parameter (`unknown_parameter`, with `allowed`) or an invalid "
                "value (`invalid_parameter`: filter, region code, page, page_size, ordering, "
                "format, search; `invalid_cursor`) or a control character such as NUL in a "
                "query value (`invalid_characters`, the one code for it).",
                validation=True,
            )
            if action != "list" or self.view.pagination_class is not None:
                responses["404"] = self._error("Not found (or a page past the end).")
        if action in WRITE_ACTIONS:
            responses["400"] = self._error(
                "Invalid body (field errors, unknown fields, malformed JSON) or header "
                "(a malformed If-Match, a control character).",
                validation=True,
            )
            responses["401"] = self._error("Authentication credentials were not provided.")
            responses["403"] = self._error("Not a staff user with the model permission.")
            if action != "create":
                responses["404"] = self._error("Not found.")
            responses["409"] = self._error(
                "Conflict: the record is still referenced, or a concurrent change collided."
            )
            responses["415"] = self._error("Unsupported media type: send application/json.")
            if action != "destroy":
                responses["413"] = self._error(
                    "Body too large: larger than the configured JSON limit (1 MB by "
                    "default); not parsed."
                )
            if action != "create":
                responses["412"] = self._component_response(
                    "Precondition failed: the record changed since the version given in "
                    "If-Match (or `version` in the body); the body names the current version "
                    "and what changed since (bounded: the latest saves, the first changed "
                    "fields).",
                    "PreconditionFailed",
                    PRECONDITION_FAILED_SCHEMA,
                )
                responses["428"] = self._component_response(
                    "Precondition required: send If-Match (the record's version or detail "
                    "ETag) or `version` in the body, so a concurrent change is not "
                    "overwritten.",
                    "PreconditionRequired",
                    PRECONDITION_REQUIRED_SCHEMA,
                )
        if getattr(self.view, "detail", False) and "404" not in responses:
            # every route on one record (custom actions too) answers 404 for an unknown id
            responses["404"] = self._error("Not found.")
        if getattr(self.view, "cursor_expires", False) and action == "list":
            responses["410"] = self._error(
                "The cursor points before the retention period (`cursor_expired`)."
            )
        if not getattr(self.view, "public_read", True):
            responses["401"] = self._error("Authentication credentials were not provided.")
            responses["403"] = self._error("Staff only.")
        responses["429"] = self._error(
            "Too many requests in this window (`throttled`): per address for anonymous callers, "
            "per user for signed-in ones.",
            headers={
                "Retry-After": {
                    "schema": {"type": "integer"},
                    "description": "Seconds to wait.",
                },
                **RATE_LIMIT_HEADERS,
            },
        )
        for code, response in responses.items():
            if code != "429" and isinstance(response, dict) and "description" in response:
                response.setdefault("headers", {}).update(RATE_LIMIT_HEADERS)
        return dict(sorted(responses.items()))


class RegionCodeFieldExtension(OpenApiSerializerFieldExtension):
    """A region written by its code: one of the 17 codes (``core.api.writing.RegionCodeField``)."""

    target_class = "core.api.writing.RegionCodeField"

    def map_serializer_field(self, auto_schema, direction):
        codes = list(REGION_CODES)
        if self.target.allow_null:
            codes.append(None)
        return {
            "type": "string",
            "enum": codes,
            "description": "Two-digit region code, e.g. 48 (경상남도).",
        }


class StrictCharFieldExtension(OpenApiSerializerFieldExtension):
    """Body text as the server reads it (``core.api.writing.StrictCharField``): no NUL, and a
    required text is not only whitespace. A field's own pattern (from a model validator) stays."""

    target_class = "core.api.writing.StrictCharField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        own_pattern = any(isinstance(v, RegexValidator) for v in self.target.validators)
        if direction == "request" and not own_pattern and not {"pattern", "oneOf"} & set(schema):
            blank = self.target.allow_blank or not self.target.trim_whitespace
            schema["pattern"] = TEXT_PATTERN if blank else REQUIRED_TEXT_PATTERN
        return schema
