"""Program services: multi-row writes that one rule decides."""

import datetime

from .models import Target


def target_recompute_all(*, today: datetime.date | None = None) -> int:
    """Recompute achievement and status of every target from its latest actual (nightly job).

    Status depends on the date (the share of the period elapsed), so it drifts without any
    edit; this brings every row up to date. Returns how many targets changed.
    """
    changed = 0
    for target in Target.objects.order_by("pk").iterator(chunk_size=500):
        if target.refresh_progress(today):
            changed += 1
    return changed
