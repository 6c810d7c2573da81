"""What staff read in the admin: found by part of a reference, who asks for what, names not ids,
forms that offer only what applies."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from compliance import roles
from articles.actors import Actor
from compliance.services.counter_notices import receive_claimant_complaint
from compliance.services.decisions import Reasons, reject_items
from compliance.services.intake import receive_notice
from tests.compliance.intake_helpers import submission
from tests.conftest import verified_login
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
PRIMARY = "https://outlet.example/story.html"


@pytest.fixture
def reviewer(client, django_user_model):
    user = django_user_model.objects.create_user("rita", first_name="Rita", last_name="Reviewer", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.REVIEWER))
    verified_login(client, user)
    return user


def _notice(**fields):
    if not Article.objects.exists():
        ArticleFactory(primary=PRIMARY)
    return receive_notice(channel="web", submission=submission(PRIMARY, **fields)).notice


def test_the_queue_finds_a_notice_by_the_tail_of_its_reference_and_says_who_asks_for_what(client, reviewer):
    notice = _notice(claimant_organisation="Kyiv Independent Media LLC")
    _notice(claimant_email="other@rights.example")
    url = reverse("admin:compliance_notice_changelist")

    for term in (notice.reference[-6:], notice.reference[-6:].lower(), notice.reference[3:]):
        html = client.get(url, {"q": term, "queue": "all"}).content.decode()
        assert html.count('class="field-reference"') == 1 and notice.reference in html, term
    html = client.get(url, {"queue": "all"}).content.decode()
    assert "Kyiv Independent Media LLC" in html and PRIMARY in html
    assert "Europe/Berlin" in html or "UTC" in html


def test_decisions_name_the_person_and_the_menu_spells_sla_breaches(client, reviewer):
    notice = _notice()
    reject_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], actor=Actor.staff(reviewer),
                 now=timezone.now(), reasons=Reasons(explanation="Licensed."))

    html = client.get(reverse("admin:compliance_notice_change", args=[notice.pk])).content.decode()

    assert "Rita Reviewer" in html and f"user:{reviewer.pk}" not in html
    assert "SLA breaches" in client.get(reverse("admin:index")).content.decode()


def test_the_uphold_form_is_laid_out_and_offers_no_rejections_only_field(client, reviewer):
    notice = _notice()
    reject_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], actor=Actor.parse("user:1"), now=timezone.now(),
                 reasons=Reasons(explanation="Licensed."))
    complaint = receive_claimant_complaint(notice_id=notice.pk, explanation="Ours.", now=timezone.now())

    html = client.get(reverse("admin:compliance_counternotice_change", args=[complaint.pk])).content.decode()

    assert 'class="form-row field-explanation"' in html
    assert "manifestly_unfounded" not in html and "Manifestly unfounded" not in html
