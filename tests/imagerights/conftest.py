from pathlib import Path

import pytest

from tests.imagerights.pictures import SigningChain, signing_chain


@pytest.fixture(scope="session")
def chain() -> SigningChain:
    return signing_chain()


@pytest.fixture
def trusted(chain, settings, tmp_path) -> SigningChain:
    """The test CA configured as a C2PA trust anchor."""
    anchors = Path(tmp_path) / "anchors.pem"
    anchors.write_bytes(chain.ca_pem)
    settings.IMAGERIGHTS_C2PA_TRUST_ANCHORS = str(anchors)
    return chain


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
