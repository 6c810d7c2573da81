from imagerights.services.c2pa_reading import read_c2pa
from tests.imagerights.pictures import photo_jpeg, sign_c2pa, tampered


def test_a_manifest_from_an_unknown_signer_is_valid_but_untrusted(chain):
    found = read_c2pa(sign_c2pa(photo_jpeg(10), chain), content_type="image/jpeg")

    assert found["state"] == "untrusted"
    assert found["signer"] == "Getty Images Content Credentials"
    assert found["signer_issuer"] == "Getty Images"
    assert found["claim_generator"].startswith("Newsroom Camera App")
    assert found["creator"] == "John Moore"
    assert found["rights_holder"] == "Getty Images"
    assert [a["action"] for a in found["fields"]["actions"]] == ["c2pa.created", "c2pa.published"]
    assert found["fields"]["training_mining"] == {"c2pa.ai_training": "notAllowed", "c2pa.data_mining": "notAllowed"}
    assert "signingCredential.untrusted" in found["fields"]["validation_failures"]


def test_a_signer_under_a_configured_trust_anchor_is_trusted(chain):
    found = read_c2pa(sign_c2pa(photo_jpeg(11), chain), content_type="image/jpeg",
                      trust_anchors_pem=chain.ca_pem.decode())

    assert found["state"] == "trusted"
    assert found["fields"]["validation_failures"] == []


def test_a_tampered_file_is_invalid_even_under_a_trusted_signer(chain):
    found = read_c2pa(tampered(sign_c2pa(photo_jpeg(12), chain)), content_type="image/jpeg",
                      trust_anchors_pem=chain.ca_pem.decode())

    assert found["state"] == "invalid"
    assert any("mismatch" in code for code in found["fields"]["validation_failures"])


def test_ai_generation_declared_in_the_actions_is_labelled(chain):
    found = read_c2pa(sign_c2pa(photo_jpeg(13), chain, digital_source_type="trainedAlgorithmicMedia"),
                      content_type="image/jpeg")

    assert found["ai_label"] == "generated"


def test_no_manifest_is_absent_and_a_broken_file_is_not_a_crash():
    assert read_c2pa(photo_jpeg(14), content_type="image/jpeg")["state"] == "absent"
    assert read_c2pa(b"\xff\xd8\xff garbage", content_type="image/jpeg")["state"] in ("unreadable", "absent")
