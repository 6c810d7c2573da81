import pytest

from articles.actors import Actor
from articles.models import ProvenanceEvent
from imagerights.models import RightsConflict, RightsReading, StoredFile
from imagerights.services.asset_files import link_file
from imagerights.services.readings import read_asset_file
from imagerights.services.rights import resolve_conflict, same_party
from tests.factories import AssetFactory, RightsHolderFactory
from tests.imagerights.pictures import photo_jpeg, sign_c2pa, tampered, with_iptc_xmp

pytestmark = pytest.mark.django_db
Witness, State = RightsReading.Witness, RightsReading.State


def read(asset, data):
    stored = link_file(asset, data=data, content_type="image/jpeg", origin="warc", url=asset.original_url, actor="test")
    return stored, read_asset_file(asset=asset, stored=stored, data=data, actor="test")


def test_each_witness_is_a_reading_and_a_provenance_event_with_the_file_hash(trusted):
    asset = AssetFactory(credit_line="Photo by John Moore/Getty Images")
    data = sign_c2pa(with_iptc_xmp(photo_jpeg(20), creator="John Moore", copyright_owner="Getty Images"), trusted)

    stored, readings = read(asset, data)

    assert {(r.witness, r.state) for r in readings} == {
        (Witness.C2PA, State.TRUSTED), (Witness.IPTC_XMP, State.READ), (Witness.HTML_CREDIT, State.READ)}
    events = ProvenanceEvent.objects.filter(asset=asset, kind=ProvenanceEvent.Kind.EXTRACTED)
    assert {e.detail["witness"] for e in events} == {"c2pa", "iptc_xmp", "html_credit"}
    assert {e.input_sha256 for e in events if e.detail["witness"] != "html_credit"} == {stored.sha256}
    assert ProvenanceEvent.objects.get(asset=asset, kind=ProvenanceEvent.Kind.FETCHED).output_sha256 == stored.sha256
    stored.refresh_from_db()
    assert stored.phash is not None and stored.width == 480 and stored.parse_attempts == 1
    asset.refresh_from_db()
    assert asset.file_sha256 == stored.sha256
    assert not RightsConflict.objects.exists()


def test_a_trusted_manifest_outweighs_iptc_and_the_caption_and_the_disagreement_goes_to_review(trusted):
    asset = AssetFactory(credit_line="Photo by John Moore/Reuters", rights_holder=RightsHolderFactory(name="Reuters"))
    data = sign_c2pa(with_iptc_xmp(photo_jpeg(21), copyright_owner="Getty Images Inc"), trusted, holder="Getty Images")

    read(asset, data)

    asset.refresh_from_db()
    assert asset.rights_holder.name == "Getty Images"
    conflict = RightsConflict.objects.get(field="rights_holder")
    assert (conflict.effective_witness, conflict.effective_value) == (Witness.C2PA, "Getty Images")
    assert (conflict.other_witness, conflict.other_value) == (Witness.HTML_CREDIT, "Reuters")
    edited = ProvenanceEvent.objects.get(asset=asset, kind=ProvenanceEvent.Kind.EDITED, detail__field="rights_holder")
    assert edited.detail["from"] == "Reuters" and edited.detail["to"] == "Getty Images"


def test_an_untrusted_manifest_is_recorded_but_never_decides(chain):
    asset = AssetFactory(credit_line="Photo by John Moore/Reuters", rights_holder=RightsHolderFactory(name="Reuters"))

    read(asset, sign_c2pa(photo_jpeg(22), chain, holder="Getty Images"))

    asset.refresh_from_db()
    assert asset.rights_holder.name == "Reuters"
    reading = RightsReading.objects.get(asset=asset, witness=Witness.C2PA)
    assert reading.state == State.UNTRUSTED and reading.rights_holder == "Getty Images" and not reading.is_proof
    assert not RightsConflict.objects.exists()


def test_a_tampered_manifest_is_recorded_invalid(trusted):
    asset = AssetFactory()

    read(asset, tampered(sign_c2pa(photo_jpeg(23), trusted)))

    assert RightsReading.objects.get(asset=asset, witness=Witness.C2PA).state == State.INVALID


def test_iptc_decides_over_the_caption_when_there_is_no_proof():
    asset = AssetFactory(credit_line="Photo by Jane Doe/Example Agency")

    read(asset, with_iptc_xmp(photo_jpeg(24), creator="John Moore", copyright_owner="Getty Images"))

    asset.refresh_from_db()
    assert (asset.creator.name, asset.rights_holder.name) == ("John Moore", "Getty Images")
    assert set(RightsConflict.objects.values_list("field", flat=True)) == {"creator", "rights_holder"}


def test_a_malformed_jpeg_is_stored_with_a_clear_record_not_a_crash():
    asset = AssetFactory()

    stored, readings = read(asset, photo_jpeg(25)[:700])

    stored.refresh_from_db()
    assert stored.phash is None and stored.parse_error
    assert {r.state for r in readings if r.witness == Witness.IPTC_XMP} <= {State.UNREADABLE, State.ABSENT}
    assert "truncated" in stored.parse_error.lower()


def test_the_same_file_read_twice_records_once():
    asset = AssetFactory()
    data = with_iptc_xmp(photo_jpeg(26), creator="John Moore")
    read(asset, data)
    read(asset, data)

    assert RightsReading.objects.filter(asset=asset, witness=Witness.IPTC_XMP).count() == 1
    assert StoredFile.objects.count() == 1


def test_staff_resolving_a_conflict_set_the_asset_and_later_readings_keep_it(trusted):
    asset = AssetFactory(credit_line="Photo by John Moore/Reuters", rights_holder=RightsHolderFactory(name="Reuters"))
    read(asset, sign_c2pa(photo_jpeg(27), trusted, holder="Getty Images"))
    conflict = RightsConflict.objects.get(field="rights_holder")

    resolve_conflict(conflict, keep_effective=False, actor=Actor.parse("user:1"))

    conflict.refresh_from_db()
    asset.refresh_from_db()
    assert conflict.state == "resolved" and conflict.resolved_value == "Reuters"
    assert asset.rights_holder.name == "Reuters"
    read(asset, sign_c2pa(photo_jpeg(28), trusted, holder="Getty Images"))
    asset.refresh_from_db()
    assert asset.rights_holder.name == "Reuters"


def test_party_names_match_across_corporate_suffixes():
    assert same_party("Getty Images", "Getty Images Inc.")
    assert same_party("AFP", "afp")
    assert not same_party("Getty Images", "Reuters")


def test_the_conflict_list_and_the_provenance_events_name_the_staff_member_who_resolved(trusted, admin_client,
                                                                                       django_user_model):
    from imagerights.admin import RightsConflictAdmin
    from articles.admin import ProvenanceEventInline
    from django.contrib import admin as django_admin

    lead = django_user_model.objects.create_user("lead", first_name="Ada", last_name="Lovelace")
    asset = AssetFactory(credit_line="Photo by John Moore/Reuters", rights_holder=RightsHolderFactory(name="Reuters"))
    read(asset, sign_c2pa(photo_jpeg(29), trusted, holder="Getty Images"))
    conflict = RightsConflict.objects.get(field="rights_holder")

    resolve_conflict(conflict, keep_effective=False, actor=Actor.staff(lead))

    conflict.refresh_from_db()
    assert conflict.resolved_by == f"user:{lead.pk}"  # stored as always
    shown = RightsConflictAdmin(RightsConflict, django_admin.site).resolved_by_shown(conflict)
    assert shown == "Ada Lovelace"
    edited = ProvenanceEvent.objects.filter(asset=asset, kind=ProvenanceEvent.Kind.EDITED).latest("id")
    assert ProvenanceEventInline(ProvenanceEvent, django_admin.site).acted_by(edited) == "Ada Lovelace"
