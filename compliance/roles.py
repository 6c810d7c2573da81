"""Staff roles and API senders. The review-queue work refines these; the groups exist from the start."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions

REVIEWER = "Reviewer"
COMPLIANCE_LEAD = "Compliance lead"
AUDITOR = "Auditor"
ADMIN = "Admin"
NOTICE_SENDER = "Notice sender"

MODELS = {
    "articles": ["source", "sourcedomain", "rightsholder", "creator", "article", "asset", "provenanceevent"],
    "compliance": ["auditentry", "auditverification", "notice", "noticeitem", "noticeitemmatch",
                   "inboundmessage", "inboundattachment", "outboundmessage", "slapolicy", "sladeadline",
                   "slabreach", "decision", "webhookendpoint", "webhookdelivery", "counternotice",
                   "senderrestriction", "trustedflagger", "sourcestanding", "personaldataaccess"],
    "imagerights": ["storedfile", "assetfile", "rightsreading", "rightsconflict"],
}
_VIEW_ALL = [f"{app}.view_{model}" for app, models in MODELS.items() for model in models]

_DECIDE = ["compliance.decide_notice", "compliance.view_personal_data"]
_LEAD = _DECIDE + ["compliance.override_decision", "compliance.suspend_sender", "compliance.export_records",
                   "compliance.add_trustedflagger", "compliance.change_trustedflagger"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Auditors read everything and export; claimants' personal data stays redacted for them.
    AUDITOR: _VIEW_ALL + ["compliance.export_records"],
    REVIEWER: _VIEW_ALL + _DECIDE,
    COMPLIANCE_LEAD: _VIEW_ALL + _LEAD + [
        "articles.change_source", "articles.change_rightsholder", "articles.add_rightsholder",
        "articles.change_creator", "articles.add_sourcedomain", "articles.change_sourcedomain",
        "compliance.add_slapolicy", "compliance.change_slapolicy", "compliance.delete_slapolicy",
    ],
    ADMIN: _VIEW_ALL + [
        f"articles.{verb}_{model}"
        for verb in ("add", "change")
        for model in ("source", "sourcedomain", "rightsholder", "creator", "article", "asset")
    ] + [f"compliance.{verb}_webhookendpoint" for verb in ("add", "change", "delete")] + _LEAD,
    # Registered API senders (rights holders' systems): may file notices, see only their own.
    NOTICE_SENDER: ["compliance.add_notice"],
}


def sync_role_groups(apps, schema_editor=None) -> None:
    """For data migrations: each group gets the permissions of its role that exist at that point."""
    # Permissions are normally made after migrate; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    _grant(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def ensure_role_groups() -> None:
    """Outside migrations (seeding): the groups and their permissions, made if missing."""
    from django.contrib.auth.models import Group, Permission

    _grant(Group, Permission)


def _grant(Group, Permission) -> None:
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission:
                group.permissions.add(permission)
