import pytest

from imagerights.models import RightsReading, StoredFile
from imagerights.services.asset_files import link_file
from imagerights.services.readings import read_asset_file
from imagerights.services.sandbox import ParseFailure, parse_in_subprocess
from tests.factories import AssetFactory
from tests.imagerights.pictures import photo_jpeg

pytestmark = pytest.mark.django_db


def test_a_parser_over_its_memory_limit_fails_alone_with_a_one_line_reason(settings):
    settings.IMAGERIGHTS_PARSE_MEMORY_BYTES = 40 * 1024 * 1024

    with pytest.raises(ParseFailure, match="parser exited with status"):
        parse_in_subprocess(photo_jpeg(80), content_type="image/jpeg")


def test_a_file_that_keeps_killing_its_parser_is_given_up_after_the_counted_attempts(settings):
    settings.IMAGERIGHTS_PARSE_MEMORY_BYTES = 40 * 1024 * 1024
    data = photo_jpeg(81)
    assets = [AssetFactory() for _ in range(settings.IMAGERIGHTS_PARSE_MAX_ATTEMPTS + 1)]

    for asset in assets:
        stored = link_file(asset, data=data, content_type="image/jpeg", origin="warc", url=asset.original_url,
                           actor="t")
        read_asset_file(asset=asset, stored=stored, data=data, actor="t")

    stored = StoredFile.objects.get()
    assert stored.parse_attempts == settings.IMAGERIGHTS_PARSE_MAX_ATTEMPTS
    last = RightsReading.objects.get(asset=assets[-1], witness="c2pa")
    assert last.state == "unreadable" and last.error.startswith("given up after 3 failed parses")


def test_the_parser_process_gets_a_minimal_environment_without_our_secrets(monkeypatch):
    import os
    import subprocess
    import sys

    from imagerights.services.sandbox import ROOT, parser_environment

    monkeypatch.setenv("DJANGO_SECRET_KEY", "not-for-the-parser")
    env = parser_environment()
    seen = subprocess.run([sys.executable, "-c", "import json, os; print(json.dumps(dict(os.environ)))"],
                          env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout

    assert "not-for-the-parser" not in seen and "DATABASE_URL" not in seen
    assert set(env) <= {"PATH", "LANG", "LC_ALL", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "OPENBLAS_NUM_THREADS",
                        "OMP_NUM_THREADS", "MKL_NUM_THREADS"}
    assert os.environ.get("DATABASE_URL", "x") not in env.values()
