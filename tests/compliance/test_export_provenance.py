import csv
import io
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from articles.models import Creator, RightsHolder
from articles.actors import Actor
from compliance.exports.csv_safety import neutralise, neutralise_sql
from compliance.exports.provenance import ExportFilter, iter_rows
from compliance.exports.provenance_copy import copy_csv
from compliance.exports.provenance_stream import csv_lines
from compliance.models import AuditEntry, PersonalDataAccess
from compliance.services.decisions import Reasons, reject_items, withdraw_items
from compliance.services.intake import receive_notice
from tests.compliance.intake_helpers import submission
from tests.conftest import postgres_only
from tests.factories import ArticleFactory, AssetFactory, SourceFactory

pytestmark = pytest.mark.django_db
PRIMARY = "https://outlet.example/2022/05/16/kharkiv.html"
PHOTO = "https://cdn.example/img/kharkiv-tank.jpg"
REASONS = Reasons(explanation="The claimant owns the photo; we had no licence.", legal_ground="Copyright")


@pytest.fixture
def story():
    """A translated article with a photo; one notice withdrew the photo, another was rejected."""
    source = SourceFactory(name="@Outlet", slug="outlet", host="outlet.example")
    holder = RightsHolder.objects.create(name="=Getty Images")
    article = ArticleFactory(primary=PRIMARY, source=source, rights_holder=holder, title='=HYPERLINK("http://x")',
                             credit_text="+Photo: -x", language="en", translated_from="uk",
                             translation_engine="deepl", license="CC BY 4.0", basis="license")
    article.creators.add(Creator.objects.create(name="Olena Petrenko"))
    photo = AssetFactory(article=article, original_url=PHOTO, credit_line="@Getty Images/John Moore",
                         rights_holder=holder)
    other = ArticleFactory(title="Something else")
    photo_notice = receive_notice(channel="web", submission=submission(PHOTO)).notice
    withdraw_items(notice_id=photo_notice.pk, item_ids=[photo_notice.items.get().pk], reasons=REASONS,
                   actor=Actor.parse("user:7"), now=timezone.now())
    page_notice = receive_notice(channel="web", submission=submission(
        PRIMARY, claimant_email="rights@other.example", claimant_organisation="Other Agency")).notice
    reject_items(notice_id=page_notice.pk, item_ids=[page_notice.items.get().pk],
                 reasons=Reasons(explanation="We hold a licence."), actor=Actor.parse("user:8"), now=timezone.now())
    return {"article": article, "photo": photo, "other": other, "photo_notice": photo_notice,
            "page_notice": page_notice}


def _export(tmp_path, *args) -> str:
    out = tmp_path / "export.out"
    call_command("export_provenance", *args, "--out", str(out), "--no-progress", stdout=io.StringIO())
    return out.read_text()


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _user(django_user_model, name: str, *groups: str, extra: tuple[str, ...] = ()):
    user = django_user_model.objects.create_user(name, password="pw-for-tests-only")
    user.groups.set(Group.objects.filter(name__in=groups))
    user.user_permissions.set(Permission.objects.filter(codename__in=extra))
    return django_user_model.objects.get(pk=user.pk)


def test_one_row_per_article_and_asset_with_notices_and_decisions(story, tmp_path):
    rows = _csv(_export(tmp_path))

    assert [(r["record"], r["asset_id"]) for r in rows] == [("article", ""), ("article", ""),
                                                             ("asset", str(story["photo"].pk))]
    article, photo = rows[0], rows[2]
    assert article["our_url"].endswith(f"/articles/{story['article'].slug}/")
    assert article["primary_source_url"] == story["article"].primary_source_url
    assert (article["translated_from"], article["translation_engine"], article["authors"]) == (
        "uk", "deepl", "Olena Petrenko")
    assert article["notices"].startswith(f"{story['page_notice'].reference} copyright primary_source ")
    assert article["decisions"].startswith(f"{story['page_notice'].reference} reject ")
    assert photo["content_url"] == PHOTO and photo["status"] == "withdrawn" and photo["withdrawn_at"]
    assert photo["decisions"].startswith(f"{story['photo_notice'].reference} remove_asset ")
    assert photo["withdrawal_reference"] == story["photo_notice"].reference


def test_cells_that_a_spreadsheet_would_run_are_neutralised(story, tmp_path):
    article, _, photo = _csv(_export(tmp_path))

    assert article["title"] == "'=HYPERLINK(\"http://x\")"
    assert article["source"] == "'@Outlet" and article["rights_holder"] == "'=Getty Images"
    assert article["credit"] == "'+Photo: -x" and photo["credit"] == "'@Getty Images/John Moore"
    formula_starts = tuple("=+-@\t\r")
    assert not any(cell.startswith(formula_starts) for row in _csv(_export(tmp_path)) for cell in row.values())


def test_claimants_are_redacted_unless_asked_for_by_someone_allowed(story, tmp_path, django_user_model):
    redacted = _export(tmp_path)
    assert "rights@other.example" not in redacted and "Marta" not in redacted
    assert f"{story['page_notice'].reference}: [redacted]" in redacted

    _user(django_user_model, "lead", "Compliance lead")
    full = _csv(_export(tmp_path, "--with-personal-data", "--as", "lead"))
    assert full[0]["claimants"] == f"{story['page_notice'].reference}: Marta Hnatiuk <rights@other.example> (Other Agency)"
    entry = AuditEntry.objects.get(action="export.personal_data")
    assert entry.actor.startswith("user:") and "rights@other.example" not in entry.payload
    assert PersonalDataAccess.objects.get().what == "export"


def test_an_auditor_cannot_take_personal_data(story, tmp_path, django_user_model):
    _user(django_user_model, "auditor", "Auditor")
    with pytest.raises(CommandError, match="view_personal_data"):
        _export(tmp_path, "--with-personal-data", "--as", "auditor")
    with pytest.raises(CommandError, match="view_personal_data"):
        _export(tmp_path, "--with-personal-data")
    assert not AuditEntry.objects.filter(action="export.personal_data").exists()


def test_filters_by_source_status_and_date(story, tmp_path):
    by_source = _csv(_export(tmp_path, "--source", "outlet.example"))
    assert {r["article_id"] for r in by_source} == {str(story["article"].pk)}
    withdrawn = _csv(_export(tmp_path, "--status", "withdrawn"))
    assert [r["record"] for r in withdrawn] == ["asset"]
    published = story["article"].published_at.date()
    dated = _csv(_export(tmp_path, "--source", "outlet", "--since", str(published), "--until", str(published)))
    assert len(dated) == 2
    assert _csv(_export(tmp_path, "--since", "2999-01-01")) == []


@pytest.mark.parametrize("args, message", [
    (("--status", "gone"), "unknown status 'gone'"),
    (("--since", "last week"), "is not a date"),
    (("--source", "nowhere.example"), "no source has the slug or domain"),
    (("--since", "2026-02-01", "--until", "2026-01-01"), "--since must be before --until"),
    (("--as", "nobody"), "no active user"),
])
def test_bad_arguments_fail_with_one_line(story, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        _export(tmp_path, *args)


def test_json_holds_structured_notices_and_decisions(story, tmp_path):
    data = json.loads(_export(tmp_path, "--format", "json"))
    article = data["rows"][0]
    assert article["authors"] == ["Olena Petrenko"]
    assert article["notices"][0]["claimant"] == "[redacted]"
    assert article["decisions"][0]["action"] == "reject" and len(data["rows"]) == 3


@postgres_only("the COPY path")
def test_copy_csv_is_the_python_csv_row_for_row(story, tmp_path):
    for personal in (False, True):
        filters = ExportFilter()
        python = b"".join(line for line, _ in csv_lines(filters, personal)).decode()
        copied = b"".join(bytes(block) for block in copy_csv(filters, personal_data=personal)).decode()
        assert list(csv.reader(io.StringIO(copied))) == list(csv.reader(io.StringIO(python)))
    narrowed = ExportFilter.parse(sources=["outlet"], statuses=["withdrawn", "published"])
    python = b"".join(line for line, _ in csv_lines(narrowed, False)).decode()
    copied = b"".join(bytes(block) for block in copy_csv(narrowed, personal_data=False)).decode()
    assert list(csv.reader(io.StringIO(copied))) == list(csv.reader(io.StringIO(python)))
    assert len(list(iter_rows(narrowed, personal_data=False))) == 2


CELLS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "http://x", "x=1", "", "'=already"]


@pytest.mark.parametrize("cell", CELLS)
def test_python_neutralises_exactly_the_trigger_starts(cell):
    assert neutralise(cell) == ("'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell)


@postgres_only("the SQL rule")
def test_the_sql_rule_is_the_python_rule():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {neutralise_sql('c')} FROM unnest(%s::text[]) AS c", [CELLS])
        assert [row[0] for row in cursor.fetchall()] == [neutralise(c) for c in CELLS]
