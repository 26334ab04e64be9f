"""Admin template tags: who is signed in, in which role, over which regions."""

from django import template

from core import scoping
from core.models import Region

register = template.Library()


@register.simple_tag
def staff_scope(user) -> dict:
    """``{"role": "지역 편집자", "regions": "경남"}`` for the header. ``regions`` is empty for
    unrestricted users; a regional editor without regions reads "없음"."""
    if user is None or not user.is_authenticated:
        return {}
    if user.is_superuser:
        role = "슈퍼유저"
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = ", ".join(name for name in scoping.ROLE_GROUPS.values() if name in names)
    region_ids = scoping.restricted_region_ids(user)
    if region_ids is None:
        return {"role": role, "regions": "", "restricted": False}
    short_names = Region.objects.filter(id__in=region_ids).values_list("short_name", flat=True)
    return {"role": role, "regions": ", ".join(short_names) or "없음", "restricted": True}
