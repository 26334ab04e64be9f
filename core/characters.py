"""Characters a request may not carry, as regular-expression character classes: one rule for the
request guard (``config.middleware``) and the API schema (``core.api.schema``)."""

#: C0 control characters and DEL: never part of a URL path, a cookie or a header value.
PATH_FORBIDDEN_CLASS = r"\x00-\x1f\x7f"
#: In query values tab and line breaks may come from a form's textarea; the rest may not.
QUERY_FORBIDDEN_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"


def ecma_class(character_class: str) -> str:
    """The class with ``\\uXXXX`` escapes, read alike by Python and ECMA-262 (OpenAPI)."""
    return character_class.replace(r"\x", r"\u00")
