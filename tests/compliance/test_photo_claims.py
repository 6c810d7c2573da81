"""A claim about a photo, filed against the article's address: the reviewer removes the photo only,
the item is settled as actioned and the claimant is never told "rejected"."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Asset
from compliance import roles
from articles.actors import Actor
from compliance.models import AuditEntry, Decision, NoticeItem, OutboundMessage
from compliance.services.decisions import Reasons
from compliance.services.intake import receive_notice
from compliance.services.narrowing import remove_pictures_of_matched_articles
from tests.compliance.intake_helpers import submission
from tests.conftest import verified_login
from tests.factories import ArticleFactory, AssetFactory

pytestmark = pytest.mark.django_db
REASONS = Reasons(explanation="The photo is the agency's; we held no licence for it.")


@pytest.fixture
def photo_claim():
    article = ArticleFactory(slug="kharkiv-report")
    photo = AssetFactory(article=article, credit_line="Photo by John Moore/Getty Images")
    AssetFactory(article=article, kind=Asset.Kind.MAP, credit_line="Map: ISW")
    notice = receive_notice(channel="web", submission=submission(
        "https://worldtimetodays.example/articles/kharkiv-report/",
        work_description="Our photograph of a tank near Kharkiv")).notice
    assert notice.items.get().matches.get().article == article
    return notice, article, photo


def test_removing_the_photo_settles_the_article_item_as_actioned(photo_claim):
    notice, article, photo = photo_claim
    item = notice.items.get()

    [decision] = remove_pictures_of_matched_articles(notice_id=notice.pk, item_ids=[item.pk], asset_ids=[photo.pk],
                                                     reasons=REASONS, actor=Actor.parse("user:1"), now=timezone.now())

    item.refresh_from_db(), article.refresh_from_db(), photo.refresh_from_db()
    assert decision.action == Decision.Action.REMOVE_ASSET and decision.match.asset == photo
    assert item.state == NoticeItem.State.ACTIONED and photo.status == Asset.Status.WITHDRAWN
    assert article.status == Article.Status.PUBLISHED and article.assets.filter(status="live").count() == 1
    assert AuditEntry.objects.filter(action="match.narrowed_to_assets").count() == 1
    mail = OutboundMessage.objects.get(purpose="decision").body
    assert "the picture or media was removed" in mail and "not removed" not in mail and "reject" not in mail.lower()


def test_a_picture_of_another_article_is_refused_and_nothing_changes(photo_claim):
    notice, article, photo = photo_claim
    elsewhere = AssetFactory()

    with pytest.raises(Exception, match="choose a picture or medium of the article"):
        remove_pictures_of_matched_articles(notice_id=notice.pk, item_ids=[notice.items.get().pk],
                                            asset_ids=[elsewhere.pk], reasons=REASONS, actor=Actor.parse("user:1"),
                                            now=timezone.now())
    assert notice.items.get().matches.get().asset is None and not Decision.objects.exists()


def test_the_reviewer_picks_the_photo_on_the_notice_page(client, django_user_model, photo_claim):
    notice, article, photo = photo_claim
    user = django_user_model.objects.create_user("rita", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.REVIEWER))
    verified_login(client, user)
    page = client.get(reverse("admin:compliance_notice_change", args=[notice.pk])).content.decode()
    assert "Photo by John Moore/Getty Images" in page and "Remove only the pictures" in page

    response = client.post(reverse("admin:compliance_notice_decide", args=[notice.pk]), {
        "decide-decision": "pictures", "decide-items": [notice.items.get().pk], "decide-assets": [photo.pk],
        "decide-explanation": REASONS.explanation, "decide-ground": "DECISION_GROUND_ILLEGAL_CONTENT",
        "decide-territorial_scope": "EEA", "decide-redress": "x"}, follow=True)

    assert "removed pictures or media for 1 item(s)" in response.content.decode()
    photo.refresh_from_db()
    assert photo.status == Asset.Status.WITHDRAWN
