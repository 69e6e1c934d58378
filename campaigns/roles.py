"""The studio's roles as Django groups, and the permissions each one grants.

Designers make and review creatives; campaign managers also own brands, delete,
export and read analytics; moderators read everything and decide moderation cases.
Superusers hold every permission. `ensure_roles()` is idempotent and runs after
every `migrate`, so a fresh database has the groups before anyone logs in.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

DESIGNER = "Designer"
CAMPAIGN_MANAGER = "Campaign manager"
MODERATOR = "Moderator"

_VIEW = [
    "view_brand",
    "view_adformat",
    "view_campaign",
    "view_audiencesegment",
    "view_generationjob",
    "view_variant",
    "view_rendition",
    "view_review",
    "view_brandasset",
]
_DESIGN = [
    "add_campaign",
    "change_campaign",
    "add_audiencesegment",
    "change_audiencesegment",
    "add_generationjob",
    "review_variant",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    DESIGNER: _VIEW + _DESIGN,
    CAMPAIGN_MANAGER: _VIEW
    + _DESIGN
    + [
        "add_brand",
        "change_brand",
        "add_brandasset",
        "change_brandasset",
        "delete_brandasset",
        "delete_campaign",
        "delete_audiencesegment",
        "export_campaign",
        "view_analytics",
    ],
    MODERATOR: _VIEW + ["view_moderationcase", "moderate_variant"],
}


def ensure_roles() -> dict[str, Group]:
    """Create the groups and set exactly their permissions; return them by name."""
    wanted = {code for codes in ROLE_PERMISSIONS.values() for code in codes}
    perms = {
        p.codename: p
        for p in Permission.objects.filter(content_type__app_label="campaigns", codename__in=wanted)
    }
    missing = wanted - set(perms)
    if missing:
        raise LookupError(f"Permissions not found (migrate first?): {', '.join(sorted(missing))}")
    groups = {}
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([perms[c] for c in codes])
        groups[name] = group
    return groups


def ensure_roles_after_migrate(sender, **kwargs) -> None:
    # Auth's own post_migrate handler, connected first, has created the permissions; a
    # partial migrate (to an older migration) may lack some, and then the roles wait.
    try:
        ensure_roles()
    except LookupError:
        pass
