"""One part the system cannot accept never loses the page: it is recorded as rejected, with its reason."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Asset
from articles.ingestion.page import IngestError, ingest_page
from tests.articles.pages import news_page

pytestmark = pytest.mark.django_db

LONG_EMBED = "https://player.video.example/embed?config=" + "a1b2c3d4e5" * 253  # 2,572 characters
PAGE = news_page(body=(
    '<figure><img src="https://cdn.harbour.example/wall.jpg"><figcaption>The old wall. Photo: Ann Lee/Harbour News'
    "</figcaption></figure>"
    f'<figure class="video"><iframe src="{LONG_EMBED}"></iframe><figcaption>Footage of the storm</figcaption></figure>'
    '<figure><img src="javascript:void(0)"><figcaption>A broken picture</figcaption></figure>'
))


def test_a_too_long_embed_address_is_rejected_and_the_article_and_its_photo_are_stored():
    article = ingest_page(html=PAGE, source_url="https://harbour.example/news/wall-rebuilt").article

    assert Article.objects.count() == 1
    assert [a.original_url for a in Asset.objects.all()] == ["https://cdn.harbour.example/wall.jpg"]
    reasons = {part["part"]: part["reason"] for part in article.rejected_parts}
    assert reasons["video 2"] == "URL is too long"
    assert "placeholder" in reasons["photo 3"]
    assert article.rejected_parts[0]["url"].endswith("…") and len(article.rejected_parts[0]["url"]) <= 201
    extracted = article.provenance_events.get(kind="extracted")
    assert [r["part"] for r in extracted.detail["rejected"]] == ["video 2", "photo 3"]


def test_the_command_prints_what_it_rejected(tmp_path):
    out = StringIO()
    path = tmp_path / "page.html"
    path.write_bytes(PAGE)
    call_command("ingest_article", str(path), "--source-url", "https://harbour.example/news/wall-rebuilt", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("created: article")
    assert "rejected video 2: URL is too long (https://player.video.example/embed?config=" in lines[1]


def test_an_unusable_declared_canonical_is_rejected_not_fatal():
    page = news_page(head=f'<link rel="canonical" href="https://harbour.example/{"x" * 2100}">')
    article = ingest_page(html=page, source_url="https://harbour.example/news/wall").article

    assert article.primary_source_url == "https://harbour.example/news/wall"
    assert article.rejected_parts[0]["part"] == "canonical"


@pytest.mark.parametrize("args, message", [
    (["--source-url", "https://harbour.example/" + "p" * 2100], "source URL is not usable: URL is too long"),
    (["--source-url", "ftp://harbour.example/a"], "source URL is not usable: only http and https URLs are accepted"),
    (["--source-url", "https://harbour.example/a", "--final-url", "not a url"], "source URL is not usable"),
    (["--source-url", "https://harbour.example/a", "--translated-from", "english-ish"], "translated-from must be"),
])
def test_every_refusal_is_one_line(tmp_path, args, message):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE)
    with pytest.raises(CommandError) as refused:
        call_command("ingest_article", str(page), *args)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert Article.objects.count() == 0


@pytest.mark.parametrize("content, message", [
    (b"", "input is empty"), (b"%PDF-1.7 \x00\x01", "input is not HTML"), (b"just words, no markup", "input is not HTML"),
])
def test_pages_that_are_not_articles_are_refused_in_one_line(tmp_path, content, message):
    page = tmp_path / "page.html"
    page.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("ingest_article", str(page), "--source-url", "https://harbour.example/a")


@pytest.mark.slow
def test_the_command_exits_non_zero_with_one_line_and_no_traceback(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE)
    for args in ([str(tmp_path / "missing.html"), "--source-url", "https://harbour.example/a"],
                 [str(page), "--source-url", "https://harbour.example/" + "p" * 2100]):
        done = subprocess.run([sys.executable, "manage.py", "ingest_article", *args], capture_output=True, text=True,
                              cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))), timeout=120)
        assert done.returncode != 0
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_ingest_error_names_the_reason():
    with pytest.raises(IngestError, match="URL is too long"):
        ingest_page(html=PAGE, source_url="https://harbour.example/" + "p" * 2100)



def test_staff_see_the_rejected_parts_and_every_known_address_in_the_admin(client, django_user_model):
    from django.urls import reverse

    from tests.conftest import verified_login

    verified_login(client, django_user_model.objects.create_superuser("root", "root@example.test", "x-y-z-123"))
    article = ingest_page(html=PAGE, source_url="https://harbour.example/news/wall-rebuilt").article

    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "URL is too long" in page
    assert "https://harbour.example/news/wall-rebuilt" in page and "URL we were given" in page
