"""The demo site's data: the Kharkiv seed article, generated articles, one withdrawal, staff users."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

import articles
from articles.models import Article, Asset, RightsHolder
from articles.services.importer import ImportReport, import_lines
from articles.services.ingest import UNDETERMINED_LANGUAGE, ingest_page
from articles.synthetic import generate_records
from compliance import roles
from compliance.intake.submission import ItemInput, Submission, validate_items
from compliance.models import Notice
from compliance.services.intake import receive_notice
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
DEMO_DEVICE = "demo authenticator"
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
    notices_created: int = 0


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
    report.notices_created = _demo_notices()
    report.users_created = _demo_users()
    return report


DEMO_CLAIMANT_DOMAIN = "kyivindependent.example"


def _demo_notices() -> int:
    """A small queue for the admin: a confirmed notice, one awaiting confirmation, one missing statements."""
    if Notice.objects.filter(claimant_email__endswith="@" + DEMO_CLAIMANT_DOMAIN).exists():
        return 0
    seed = f"https://worldtimetodays.example/articles/{SEED_SLUG}/"
    photo = "https://cdn.worldtimetodays.example/img/2022/05/biskvitne-tank.jpg"
    generated = list(Article.objects.exclude(slug=SEED_SLUG).filter(status=Article.Status.PUBLISHED)
                     .order_by("id").values_list("primary_source_url", flat=True)[2:4])
    specs = [
        ("api", dict(claimant_name="Marta Hnatiuk", urls=[seed, photo]), Notice.Verification.API_SENDER),
        ("web", dict(claimant_name="Olena Petrenko", urls=generated[:1]), None),
        ("email", dict(claimant_name="Ivan Sokolov", urls=generated[1:], accuracy=False), None),
    ]
    for n, (channel, fields, verification) in enumerate(specs):
        items, _ = validate_items([ItemInput(url=url) for url in fields.pop("urls")])
        submission = Submission(claimant_email=f"legal{n}@{DEMO_CLAIMANT_DOMAIN}", items=tuple(items),
                                claimant_address="12 Example St, Kyiv", good_faith=True,
                                accuracy=fields.pop("accuracy", True), signature=fields["claimant_name"],
                                work_description="Our report, republished without a licence", **fields)
        notice = receive_notice(channel=channel, submission=submission, needs_confirmation=channel == "web").notice
        if verification:
            Notice.objects.filter(pk=notice.pk).update(verification=verification)
    return len(specs)


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


def demo_device_key() -> str:
    """The demo staff share one authenticator entry, made at random on the first seed."""
    device = TOTPDevice.objects.filter(user__username=DEMO_USERS[0][0], name=DEMO_DEVICE).first()
    return device.key if device else random_hex(20)


def _demo_users() -> list[str]:
    User = get_user_model()
    created = []
    key = demo_device_key()
    with transaction.atomic():
        roles.ensure_role_groups()
        for username, group_name, superuser in DEMO_USERS:
            user, was_created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "is_superuser": superuser,
                                             "email": f"{username}@worldtimetodays.example"})
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created.append(username)
            user.groups.add(Group.objects.get(name=group_name))
            TOTPDevice.objects.get_or_create(user=user, name=DEMO_DEVICE, defaults={"key": key, "confirmed": True})
    return created
