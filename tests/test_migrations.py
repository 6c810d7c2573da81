import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_role_groups_exist_with_their_permissions():
    from django.contrib.auth.models import Group

    auditor = Group.objects.get(name="Auditor")
    assert {"Reviewer", "Compliance lead", "Auditor", "Admin"} <= set(Group.objects.values_list("name", flat=True))
    assert auditor.permissions.filter(codename="view_auditentry").exists()
    assert not auditor.permissions.exclude(codename__startswith="view_").exists()
