"""Staff roles and API senders: the one declaration of which group may do what.

Applied after every `migrate` (post_migrate, connected in apps.py), so a new model or permission
needs no migration for the roles to get it: `apply_roles`. The data migrations that ran
`sync_role_groups` before (0002 … 0016) stay as history."""

from __future__ import annotations

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, connections, router

REVIEWER = "Reviewer"
COMPLIANCE_LEAD = "Compliance lead"
AUDITOR = "Auditor"
ADMIN = "Admin"
NOTICE_SENDER = "Notice sender"

# Every staff role reads every model of these apps, proxies included (the stay-down queue's
# "held articles" is a proxy of Article): the view permissions are derived from the app registry
# when the groups are synced, so a new model or proxy is never left unreadable by a role.
COVERED_APPS = ("articles", "compliance", "imagerights")
VIEW_ALL = "<view every covered model>"

_DECIDE = ["compliance.decide_notice", "compliance.view_personal_data"]
_LEAD = _DECIDE + ["compliance.override_decision", "compliance.suspend_sender", "compliance.export_records",
                   "compliance.add_trustedflagger", "compliance.change_trustedflagger"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Auditors read everything and export; claimants' personal data stays redacted for them.
    AUDITOR: [VIEW_ALL, "compliance.export_records"],
    REVIEWER: [VIEW_ALL, *_DECIDE],
    COMPLIANCE_LEAD: [
        VIEW_ALL, *_LEAD,
        "articles.change_source", "articles.change_rightsholder", "articles.add_rightsholder",
        "articles.change_creator", "articles.add_sourcedomain", "articles.change_sourcedomain",
        "compliance.add_slapolicy", "compliance.change_slapolicy", "compliance.delete_slapolicy",
    ],
    ADMIN: [VIEW_ALL] + [
        f"articles.{verb}_{model}"
        for verb in ("add", "change")
        for model in ("source", "sourcedomain", "rightsholder", "creator", "article", "asset")
    ] + [f"compliance.{verb}_webhookendpoint" for verb in ("add", "change", "delete")] + _LEAD,
    # Registered API senders (rights holders' systems): may file notices, see only their own.
    NOTICE_SENDER: ["compliance.add_notice"],
}


def sync_role_groups(apps, schema_editor=None) -> None:
    """For the old data migrations: each group gets the permissions of its role that exist at that point."""
    # Permissions are normally made after migrate; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    _grant(apps, apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def apply_roles(*, using: str = DEFAULT_DB_ALIAS, **signal) -> None:
    """After migrate (post_migrate): the covered apps' permissions made, every role granted its own."""
    from django.contrib.auth.models import Group, Permission

    if not router.allow_migrate_model(using, Group) or Group._meta.db_table not in connections[using].introspection.table_names():
        return  # a partial migrate that has not reached auth yet
    for label in COVERED_APPS:  # imagerights comes after compliance in INSTALLED_APPS: no post_migrate yet
        create_permissions(installed_apps.get_app_config(label), verbosity=0, using=using)
    _grant(installed_apps, Group, Permission, using=using)


def ensure_role_groups() -> None:
    """Outside migrations (seeding): the groups and their permissions, made if missing."""
    from django.contrib.auth.models import Group, Permission

    _grant(installed_apps, Group, Permission)


def view_permissions(apps) -> list[str]:
    """view_<model> of every model (proxies included) of the covered apps in this registry."""
    codes = []
    for label in COVERED_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:  # an app not yet migrated at this point of the migration graph
            continue
        codes += [f"{label}.view_{model._meta.model_name}" for model in config.get_models()]
    return codes


def role_permissions(name: str, apps) -> list[str]:
    codes = ROLE_PERMISSIONS[name]
    return [code for code in codes if code != VIEW_ALL] + (view_permissions(apps) if VIEW_ALL in codes else [])


def _grant(apps, Group, Permission, *, using: str = DEFAULT_DB_ALIAS) -> None:
    codes = {name: role_permissions(name, apps) for name in ROLE_PERMISSIONS}
    wanted = {code.split(".")[1] for role in codes.values() for code in role}
    existing = {f"{app_label}.{codename}": pk for pk, app_label, codename in Permission.objects.using(using)
                .filter(codename__in=wanted).values_list("pk", "content_type__app_label", "codename")}
    for name, role in codes.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*[existing[code] for code in role if code in existing])
