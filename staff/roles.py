"""The four staff roles as auth groups with model permissions.

Roles are defined here, in code, and written to the database by the data migration
``staff.0002_role_groups`` and again after every ``migrate`` (so models added later get their
permissions too). Edit this module rather than the groups in the admin.

=================  ==========================================================================
role               permissions
=================  ==========================================================================
administrator      every permission (accounts, groups, roles, all records)
ministry-editor    add, change, delete and view every record of the domain apps; imports;
                   approve or return results updates (``results.approve_resultupdate``)
regional-editor    add, change, delete and view the region-scoped records (companies, hubs,
                   regional and company participations, outcomes, targets, events...) of its
                   own regions only (``core.scoping``); view everything else; add sources,
                   people and organizations; imports
viewer             view every record of the domain apps (read-only admin)

Regional editors draft and submit results updates (with breakdown and evidence) for their own
regions; reporting periods and follow-ups are the ministry's.
=================  ==========================================================================
"""

from core.scoping import (
    ADMINISTRATOR,
    MINISTRY_EDITOR,
    REGION_PATHS,
    REGIONAL_EDITOR,
    ROLE_GROUPS,
    VIEWER,
)

DOMAIN_APPS = {"core", "companies", "programs", "events", "indicators", "results"}
#: Results reporting: regional editors draft and submit updates of their regions (scoped) but
#: neither define periods nor review; ministry editors review (``approve_resultupdate``).
REGIONAL_RESULTS = {"results.resultupdate", "results.resultbreakdown", "results.resultevidence"}
REGIONAL_MODELS = {label for label in REGION_PATHS if label != "core.organization"}
REGIONAL_ADDABLE = {"core.source", "core.person", "core.organization"}
IMPORT_JOB = "staff.importjob"
INTAKE = "intake.intakedocument"  # press-release intake: editors hand in and review


def role_allows(role: str, app_label: str, model: str, action: str) -> bool:
    """Whether ``role`` holds the permission ``<action>_<model>`` of ``app_label``."""
    label = f"{app_label}.{model}"
    if role == ADMINISTRATOR:
        return True
    if label == IMPORT_JOB:
        return role in (MINISTRY_EDITOR, REGIONAL_EDITOR) and action in ("add", "view")
    if label == INTAKE:
        return role in (MINISTRY_EDITOR, REGIONAL_EDITOR) and action in ("add", "change", "view")
    if app_label not in DOMAIN_APPS:
        return False
    if action == "view":
        return True
    if role == MINISTRY_EDITOR:
        return label != "core.region"
    if role == REGIONAL_EDITOR:
        if app_label == "results":
            return label in REGIONAL_RESULTS and action in ("add", "change", "delete")
        return label in REGIONAL_MODELS or (label in REGIONAL_ADDABLE and action == "add")
    return False


def sync_role_groups(group_model, permission_model) -> dict[str, int]:
    """Create the four groups and give each exactly its permissions; returns name → count.

    Takes the model classes so the data migration can pass its historical ones.
    """
    permissions = list(permission_model.objects.select_related("content_type"))
    counts = {}
    for role in (ADMINISTRATOR, MINISTRY_EDITOR, REGIONAL_EDITOR, VIEWER):
        group, _created = group_model.objects.get_or_create(name=ROLE_GROUPS[role])
        allowed = [
            p
            for p in permissions
            if role_allows(
                role,
                p.content_type.app_label,
                p.content_type.model,
                p.codename.split("_", 1)[0],
            )
        ]
        group.permissions.set(allowed)
        counts[group.name] = len(allowed)
    return counts
