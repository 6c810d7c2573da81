from imagerights.services.iptc_reading import holder_in_notice, read_iptc_xmp
from tests.imagerights.pictures import photo_jpeg, with_iptc_xmp


def test_agency_fields_are_read_from_iptc_and_xmp():
    data = with_iptc_xmp(photo_jpeg(1), creator="John Moore", credit="Getty Images",
                         copyright_notice="© 2022 Getty Images", copyright_owner="Getty Images Inc",
                         licensor="Getty Images Licensing", web_statement="https://www.gettyimages.com/eula",
                         source="Getty Images North America", data_mining="http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED")

    found = read_iptc_xmp(data)

    assert found["state"] == "read"
    assert found["creator"] == "John Moore"
    assert found["rights_holder"] == "Getty Images Inc"
    assert found["fields"]["credit_line"] == "Getty Images"
    assert found["fields"]["licensor"] == ["Getty Images Licensing"]
    assert found["fields"]["web_statement"] == "https://www.gettyimages.com/eula"
    assert found["fields"]["source"] == "Getty Images North America"
    assert found["fields"]["data_mining"].endswith("DMI-PROHIBITED")
    assert found["ai_label"] == ""


def test_copyright_notice_names_the_holder_when_no_owner_is_given():
    data = with_iptc_xmp(photo_jpeg(2), copyright_notice="Copyright 2024 Reuters. All rights reserved.")

    assert read_iptc_xmp(data)["rights_holder"] == "Reuters"
    assert holder_in_notice("© 2019-2024 Agence France-Presse") == "Agence France-Presse"


def test_digital_source_type_gives_the_ai_label():
    generated = read_iptc_xmp(with_iptc_xmp(photo_jpeg(3), digital_source_type="trainedAlgorithmicMedia"))
    edited = read_iptc_xmp(with_iptc_xmp(photo_jpeg(3), digital_source_type="compositeWithTrainedAlgorithmicMedia"))
    camera = read_iptc_xmp(with_iptc_xmp(photo_jpeg(3), digital_source_type="digitalCapture"))

    assert (generated["ai_label"], edited["ai_label"], camera["ai_label"]) == ("generated", "edited", "")


def test_a_file_without_metadata_reads_as_absent_and_garbage_as_unreadable():
    assert read_iptc_xmp(photo_jpeg(4))["state"] == "absent"
    assert read_iptc_xmp(b"\xff\xd8\xff\xe0 not a jpeg")["state"] == "unreadable"
