"""Template helpers of the search page and the channels (feeds, calendars, widget)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_url(context, name: str, value: str = "") -> str:
    """The current search with facet ``name`` set to ``value`` (removed when empty)."""
    params = context["request"].GET.copy()
    if value:
        params[name] = value
    else:
        params.pop(name, None)
    params.pop("page", None)
    return "?" + params.urlencode()
