"""Roles come from one declaration (compliance/roles.py), applied after every migrate: a new model
needs no migration for the roles to get its permissions."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from compliance import roles

pytestmark = pytest.mark.django_db


def granted(name: str) -> set[str]:
    return {f"{app_label}.{codename}" for app_label, codename in Group.objects.get(name=name)
            .permissions.values_list("content_type__app_label", "codename")}


def declared(name: str) -> set[str]:
    return set(roles.role_permissions(name, apps))


@pytest.mark.parametrize("name", list(roles.ROLE_PERMISSIONS))
def test_a_fresh_migrate_gives_every_role_every_permission_it_declares(name):
    # The test database was made by migrate, the way every installation's is.
    assert declared(name) <= granted(name), f"{name} lacks {sorted(declared(name) - granted(name))}"


def test_migrate_gives_the_roles_a_model_no_migration_granted():
    # As for a model added after the last migration that ran sync_role_groups: no grant, no permission row.
    Group.objects.get(name=roles.REVIEWER).permissions.clear()
    Permission.objects.filter(codename="view_storedfile").delete()

    call_command("migrate", verbosity=0)

    assert declared(roles.REVIEWER) <= granted(roles.REVIEWER)
    assert "imagerights.view_storedfile" in granted(roles.REVIEWER)
