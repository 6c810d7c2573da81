import pytest
from django.urls import reverse

from imagerights.models import RightsConflict
from tests.factories import AssetFactory, RightsHolderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, django_user_model):
    from tests.conftest import verified_login

    user = django_user_model.objects.create_superuser("lead", "lead@example.org", "pw-for-tests-only")
    verified_login(client, user)
    return client


def conflict() -> RightsConflict:
    asset = AssetFactory(rights_holder=RightsHolderFactory(name="Reuters"))
    return RightsConflict.objects.create(asset=asset, field="rights_holder", effective_witness="iptc_xmp",
                                         effective_value="Getty Images", other_witness="html_credit",
                                         other_value="Reuters")


def test_the_review_list_shows_both_sides(superuser_client):
    conflict()

    page = superuser_client.get(reverse("admin:imagerights_rightsconflict_changelist"))

    assert page.status_code == 200
    assert b"Getty Images" in page.content and b"Reuters" in page.content


def test_the_resolve_action_applies_the_chosen_side(superuser_client):
    item = conflict()

    superuser_client.post(reverse("admin:imagerights_rightsconflict_changelist"),
                          {"action": "keep_effective", "_selected_action": [item.pk]})

    item.refresh_from_db()
    assert item.state == "resolved" and item.resolved_value == "Getty Images"
    assert item.asset.rights_holder.name == "Getty Images"
