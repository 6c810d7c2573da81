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
    assert set(auditor.permissions.exclude(codename__startswith="view_").values_list("codename", flat=True)) == {
        "export_records"}
    assert not auditor.permissions.filter(codename="view_personal_data").exists()


@pytest.mark.django_db
def test_compliance_leads_edit_the_sla_policy_and_reviewers_cannot(django_user_model):
    from django.contrib.auth.models import Group

    lead = django_user_model.objects.create_user("lead", is_staff=True)
    lead.groups.add(Group.objects.get(name="Compliance lead"))
    reviewer = django_user_model.objects.create_user("reviewer", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Reviewer"))

    assert lead.has_perm("compliance.change_slapolicy")
    assert not reviewer.has_perm("compliance.change_slapolicy")
    assert reviewer.has_perm("compliance.view_sladeadline")
