"""An auditor cannot read claimants' redacted data through changelist lookups or search: the
query string may not filter on a personal field, and ?q= does not search them."""

import pytest
from django.contrib.auth.models import Group

from compliance import roles
from compliance.services.intake import receive_notice
from tests.compliance.intake_helpers import submission
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db
EMAIL = "legal@kyivindependent.example"


@pytest.fixture
def notice():
    return receive_notice(channel="web", submission=submission("https://outlet.example/a.html")).notice


def _as(client, django_user_model, role: str):
    user = django_user_model.objects.create_user(role.lower().replace(" ", "-"), is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    verified_login(client, user)
    return client


@pytest.mark.parametrize("url", [
    f"/admin/compliance/notice/?claimant_email__startswith={EMAIL[0]}",
    "/admin/compliance/notice/?claimant_name__icontains=Marta",
    f"/admin/compliance/sladeadline/?notice__claimant_email__startswith={EMAIL[0]}",
    f"/admin/compliance/decision/?notice__claimant_email={EMAIL}",
    "/admin/compliance/counternotice/?email__startswith=a",
    "/admin/compliance/outboundmessage/?to_address__startswith=l",
    "/admin/compliance/inboundmessage/?header_from__startswith=l",
])
def test_an_auditor_may_not_filter_on_personal_fields(client, django_user_model, notice, url):
    response = _as(client, django_user_model, roles.AUDITOR).get(url)

    assert response.status_code == 400


def test_an_auditor_searching_an_address_finds_nothing(client, django_user_model, notice):
    auditor = _as(client, django_user_model, roles.AUDITOR)

    assert notice.reference not in auditor.get(f"/admin/compliance/notice/?q={EMAIL}").content.decode()
    assert notice.reference not in auditor.get("/admin/compliance/notice/?q=Marta").content.decode()
    assert notice.reference in auditor.get(f"/admin/compliance/notice/?q={notice.reference}").content.decode()


def test_a_reviewer_allowed_to_see_personal_data_may_search_and_filter_on_it(client, django_user_model, notice):
    reviewer = _as(client, django_user_model, roles.REVIEWER)

    assert notice.reference in reviewer.get(f"/admin/compliance/notice/?q={EMAIL}").content.decode()
    filtered = reviewer.get(f"/admin/compliance/notice/?claimant_email__startswith={EMAIL[:3]}")
    assert filtered.status_code == 200 and notice.reference in filtered.content.decode()
