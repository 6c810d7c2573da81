"""The demo site's data: the Kharkiv seed article, generated articles, one withdrawal, staff users."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone as dt_timezone
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

import articles
from articles.models import Article, Asset, RightsHolder
from articles.services.importer import ImportReport, import_lines
from articles.ingestion.page import UNDETERMINED_LANGUAGE, ingest_page
from articles.synthetic import generate_records, stay_down_case
from compliance import roles
from articles.actors import DEMO_DATA
from compliance.demo_media import documented_article, show_stand_ins
from compliance.parsing.submission import ItemInput, Submission, validate_items
from compliance.models import CounterNotice, Notice, SlaDeadline
from compliance.services.counter_notices import CounterNoticeInput, receive_counter_notice, restore_contested
from compliance.services.decisions import Reasons, reject_items, withdraw_items
from compliance.services.intake import receive_notice
from compliance.services.sla_enforce import enforce
from compliance.services.withdrawal import withdraw_article, withdraw_asset

SEED_PAGE = Path(articles.__file__).resolve().parent / "demo" / "kharkiv-seed-article.html"
SEED_SLUG = "ukrainian-army-secures-kharkiv"
GENERATED_ARTICLES = 50
DEMO_ACTOR = DEMO_DATA.id  # provenance of the demo articles
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
    show_stand_ins(report.seed_article, seed=2022)
    lines = ((n, json.dumps(record)) for n, record in enumerate(generate_records(generated), start=1))
    import_lines(lines, actor=DEMO_ACTOR, report=report.imported)
    _withdraw_examples()
    _held_copy_example(report.imported)
    documented_article(actor=DEMO_ACTOR)  # after the examples, which take the first generated articles
    report.notices_created = _demo_notices()
    report.users_created = _demo_users()
    report.notices_created += _demo_outcomes()
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
        withdraw_article(article_id=article.pk, actor=DEMO_DATA, reference="TD-2026-DEMO01",
                         reason="Demo: copyright notice from the publisher, upheld")
    photo = Asset.objects.filter(article__in=generated[1:2], status=Asset.Status.LIVE).first()
    if photo and not Asset.objects.filter(status=Asset.Status.WITHDRAWN).exists():
        withdraw_asset(asset_id=photo.pk, actor=DEMO_DATA, reference="TD-2026-DEMO02",
                       reason="Demo: photo agency notice, photo removed, article kept")


def _held_copy_example(report: ImportReport) -> None:
    """A lightly edited copy of the withdrawn article, arriving later under another URL: the publish
    gate holds it, so the stay-down queue ("Held articles") has one to review."""
    original = next(generate_records(1))
    copy, _, _ = stay_down_case(0, original, random.Random(2022), datetime(2022, 6, 1, 6, 0, tzinfo=dt_timezone.utc))
    import_lines([(1, json.dumps(copy))], actor=DEMO_ACTOR, report=report)


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


OUTCOMES_DOMAIN = "rights.demo.example"
DEMO_REASONS = Reasons(explanation="The claimant showed the original report; we held no licence for it.",
                       legal_ground="Copyright (17 U.S.C. 512; Directive 2001/29/EC)")


def _demo_outcomes() -> int:
    """Last week's worked notices, so every report and export has something to show: actioned,
    partially actioned, rejected, counter-noticed, restored, and one whose deadline was breached."""
    if Notice.objects.filter(claimant_email__endswith="@" + OUTCOMES_DOMAIN).exists():
        return 0
    urls = list(Article.objects.exclude(slug=SEED_SLUG).filter(status=Article.Status.PUBLISHED)
                .exclude(primary_source_url="").order_by("id").values_list("primary_source_url", flat=True)[4:13])
    if len(urls) < 9:
        return 0
    now = timezone.now()
    start = now - timedelta(days=6)

    def notice(n: int, item_urls: list[str], hours_ago: float = 0) -> Notice:
        items, _ = validate_items([ItemInput(url=url) for url in item_urls])
        submission = Submission(claimant_name=f"Demo Rights Desk {n}", claimant_email=f"desk{n}@{OUTCOMES_DOMAIN}",
                                items=tuple(items), claimant_address="1 Archive Road, Kyiv", good_faith=True,
                                accuracy=True, signature=f"Demo Rights Desk {n}",
                                work_description="Our report, republished without a licence")
        received = start + timedelta(days=n) if not hours_ago else now - timedelta(hours=hours_ago)
        return receive_notice(channel="email", submission=submission, received_at=received).notice

    def decide(target: Notice, service, positions: list[int], after_hours: float, reasons: Reasons = DEMO_REASONS):
        items = list(target.items.filter(position__in=positions).values_list("pk", flat=True))
        service(notice_id=target.pk, item_ids=items, reasons=reasons, actor=DEMO_DATA,
                now=target.received_at + timedelta(hours=after_hours))

    actioned = notice(0, urls[0:2])
    decide(actioned, withdraw_items, [0, 1], 3)
    partial = notice(1, urls[2:4])
    decide(partial, withdraw_items, [0], 5)
    decide(partial, reject_items, [1], 6, Reasons(explanation="This report is the publisher's own work."))
    rejected = notice(2, urls[4:5])
    decide(rejected, reject_items, [0], 30, Reasons(explanation="The sender owns nothing on this page.",
                                                    manifestly_unfounded=True))
    countered = notice(3, urls[5:6])
    decide(countered, withdraw_items, [0], 2)
    restored = notice(4, urls[6:7])
    decide(restored, withdraw_items, [0], 4)
    for target, kind in ((countered, CounterNotice.Kind.COUNTER_NOTICE), (restored, CounterNotice.Kind.COMPLAINT)):
        article = target.items.get().matches.get().article
        counter = receive_counter_notice(article_slug=article.slug, now=target.received_at + timedelta(days=1),
                                         data=CounterNoticeInput(
            kind=kind, name="Demo Publisher Desk", email="desk@publisher.demo.example",
            explanation="We republished under the syndication agreement of 2024.", signature="Demo Publisher Desk",
            address="2 Press Lane, Lviv", phone="+380 32 000 0000", mistake_statement=True,
            jurisdiction_consent=True)).counter_notice
        if target is restored:
            restore_contested(counter_notice_id=counter.pk, actor=DEMO_DATA,
                              now=counter.received_at + timedelta(days=1),
                              reasons=Reasons(explanation="The publisher showed its syndication agreement."))
    breached = notice(5, urls[7:9], hours_ago=26)
    due = breached.deadlines.get(kind=SlaDeadline.Kind.DUE)
    enforce(deadline_id=due.pk, now=due.due_at + timedelta(minutes=4))
    return 6
