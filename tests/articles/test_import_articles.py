import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Asset, ProvenanceEvent
from articles.synthetic import generate_records

pytestmark = pytest.mark.django_db


def _write(path, records) -> str:
    path.write_text("".join(json.dumps(r) + "\n" if isinstance(r, dict) else r + "\n" for r in records))
    return str(path)


def test_import_creates_articles_assets_and_provenance(tmp_path, capsys):
    records = list(generate_records(12))

    call_command("import_articles", _write(tmp_path / "a.jsonl", records), "--no-progress")

    assert "12 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert Article.objects.filter(status="published").count() == 12
    assert Asset.objects.count() == 12
    translated = Article.objects.exclude(translated_from="").first()
    kinds = list(translated.provenance_events.values_list("kind", flat=True))
    assert kinds == ["fetched", "extracted", "translated", "published"]
    assert translated.provenance_events.get(kind="translated").detail["from"] == translated.translated_from


def test_import_is_idempotent_by_lookup_key(tmp_path, capsys):
    path = _write(tmp_path / "a.jsonl", generate_records(10))
    call_command("import_articles", path, "--no-progress")
    events = ProvenanceEvent.objects.count()

    call_command("import_articles", path, "--no-progress")

    assert "0 created, 0 updated, 10 unchanged" in capsys.readouterr().out.splitlines()[-1]
    assert Article.objects.count() == 10 and ProvenanceEvent.objects.count() == events


def test_tracking_parameters_do_not_make_a_second_article(tmp_path):
    record = next(generate_records(1))
    twin = dict(record, primary_source_url=record["primary_source_url"].split("?")[0] + "?utm_medium=x#top")

    call_command("import_articles", _write(tmp_path / "a.jsonl", [record, twin]), "--no-progress")

    assert Article.objects.count() == 1


def test_changed_text_updates_the_article_and_records_an_edit(tmp_path):
    record = next(generate_records(1))
    call_command("import_articles", _write(tmp_path / "a.jsonl", [record]), "--no-progress")

    edited = dict(record, body=record["body"] + "\n\nA correction was appended.")
    call_command("import_articles", _write(tmp_path / "b.jsonl", [edited]), "--no-progress")

    article = Article.objects.get()
    assert article.body.endswith("A correction was appended.")
    edit = article.provenance_events.get(kind="edited")
    assert edit.output_sha256 == article.content_sha256 != edit.input_sha256


def test_article_without_primary_source_is_keyed_by_its_text(tmp_path):
    record = {"title": "Untraced report", "body": "Text of a report whose source nobody recorded.",
              "language": "en"}
    path = _write(tmp_path / "a.jsonl", [record])

    call_command("import_articles", path, "--no-progress")
    call_command("import_articles", path, "--no-progress")

    article = Article.objects.get()
    assert article.primary_source_url == "" and len(article.lookup_key) == 64


def test_bad_lines_are_reported_by_number_and_the_rest_imported(tmp_path, capsys):
    good = list(generate_records(2))
    lines = [good[0], "{not json", {"title": "No body", "language": "en"},
             dict(good[1], primary_source_url="javascript:alert(1)"), good[1], "", '["a list"]']

    call_command("import_articles", _write(tmp_path / "a.jsonl", lines), "--no-progress")

    captured = capsys.readouterr()
    assert "line 2: not valid JSON" in captured.err
    assert "line 3: 'body' is required" in captured.err
    assert "line 4: source URL is not usable" in captured.err
    assert "line 7: each line must be a JSON object" in captured.err
    assert "2 created" in captured.out and "4 errors" in captured.out
    assert Article.objects.count() == 2


def test_a_file_with_no_usable_line_fails(tmp_path):
    with pytest.raises(CommandError, match="no line of"):
        call_command("import_articles", _write(tmp_path / "a.jsonl", ["{broken"]), "--no-progress")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_articles", str(tmp_path / "missing.jsonl"), "--no-progress")


def test_asset_credit_line_names_its_creator_and_rights_holder(tmp_path):
    record = next(generate_records(1))
    record["assets"][0]["credit_line"] = "Photo by John Moore/Getty Images"

    call_command("import_articles", _write(tmp_path / "a.jsonl", [record]), "--no-progress")

    asset = Asset.objects.get()
    assert (asset.creator.name, asset.creator.role, asset.rights_holder.name) == (
        "John Moore", "photographer", "Getty Images")


def test_a_party_named_by_a_credit_line_longer_than_a_name_may_be_is_refused_not_cut():
    # The credit parser reads such a line as prose today; the record refuses rather than cuts if it ever names one.
    from articles.importing.records import RecordError, _named

    assert _named("John Moore", "creator", 0) == "John Moore"
    with pytest.raises(RecordError, match=r"assets\[2\]\.credit_line names a creator of 301 characters; at most 300"):
        _named("M" * 301, "creator", 2)
