"""The demo site's data: the Kharkiv seed article, generated articles, one withdrawal, staff users."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

import articles
from articles.models import Article, Asset, RightsHolder
from articles.services.importer import ImportReport, import_lines
from articles.services.ingest import UNDETERMINED_LANGUAGE, ingest_page
from articles.synthetic import generate_records
from compliance import roles
from compliance.services.withdrawal import withdraw_article, withdraw_asset

SEED_PAGE = Path(articles.__file__).resolve().parent / "demo" / "kharkiv-seed-article.html"
SEED_SLUG = "ukrainian-army-secures-kharkiv"
GENERATED_ARTICLES = 50
DEMO_ACTOR = "system:seed_demo"
DEMO_USERS = [
    ("admin", roles.ADMIN, True),
    ("lead", roles.COMPLIANCE_LEAD, False),
    ("reviewer", roles.REVIEWER, False),
    ("auditor", roles.AUDITOR, False),
]
DEMO_PASSWORD = "demo-takedown-2026"
HOLDER_CONTACTS = {
    "Getty Images": (["copyright@gettyimages.example"], ["gettyimages.example"]),
    "Institute for the Study of War": (["press@understandingwar.example"], ["understandingwar.example"]),
    "Ministry of Defence of Ukraine": (["press@mil.gov.ua.example"], ["mil.gov.ua.example"]),
}


@dataclass
class SeedReport:
    seed_article: Article | None = None
    imported: ImportReport = field(default_factory=ImportReport)
    users_created: list[str] = field(default_factory=list)


def seed_demo(*, generated: int = GENERATED_ARTICLES) -> SeedReport:
    report = SeedReport()
    report.seed_article = ingest_page(
        html=SEED_PAGE.read_bytes(), source_url=None, translated_from=UNDETERMINED_LANGUAGE,
        slug=SEED_SLUG, actor=DEMO_ACTOR,
    ).article
    _describe_holders()
    lines = ((n, json.dumps(record)) for n, record in enumerate(generate_records(generated), start=1))
    import_lines(lines, actor=DEMO_ACTOR, report=report.imported)
    _withdraw_examples()
    report.users_created = _demo_users()
    return report


def _describe_holders() -> None:
    for name, (emails, domains) in HOLDER_CONTACTS.items():
        RightsHolder.objects.filter(name=name, contact_emails=[]).update(contact_emails=emails, verified_domains=domains)


def _withdraw_examples() -> None:
    """One withdrawn article (the 451 page) and one withdrawn photo (article stays up)."""
    generated = Article.objects.exclude(slug=SEED_SLUG).order_by("id")
    article = generated.first()
    if article and not Article.objects.filter(status=Article.Status.WITHDRAWN).exists():
        withdraw_article(article_id=article.pk, by=DEMO_ACTOR, reference="TD-2026-DEMO01",
                         reason="Demo: copyright notice from the publisher, upheld")
    photo = Asset.objects.filter(article__in=generated[1:2], status=Asset.Status.LIVE).first()
    if photo and not Asset.objects.filter(status=Asset.Status.WITHDRAWN).exists():
        withdraw_asset(asset_id=photo.pk, by=DEMO_ACTOR, reference="TD-2026-DEMO02",
                       reason="Demo: photo agency notice, photo removed, article kept")


def _demo_users() -> list[str]:
    User = get_user_model()
    created = []
    with transaction.atomic():
        for username, group_name, superuser in DEMO_USERS:
            user, was_created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "is_superuser": superuser,
                                             "email": f"{username}@worldtimetodays.example"})
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created.append(username)
            user.groups.add(Group.objects.get(name=group_name))
    return created
