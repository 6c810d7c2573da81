import io

import pytest
import rdflib
from django.core.management import call_command

from tests.compliance.test_export_provenance import PHOTO, PRIMARY, story  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")


@pytest.fixture
def graph(story, tmp_path):  # noqa: F811
    out = tmp_path / "provenance.jsonld"
    call_command("export_provenance", "--format", "jsonld", "--out", str(out), "--no-progress", stdout=io.StringIO())
    return rdflib.Graph().parse(data=out.read_text(), format="json-ld")


def test_articles_come_from_their_primary_source_by_a_translation(graph, story):  # noqa: F811
    rows = list(graph.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX schema: <https://schema.org/>
        SELECT ?article ?primary ?engine ?author WHERE {
            ?article a prov:Entity ; prov:hadPrimarySource ?primary ; prov:wasDerivedFrom ?primary ;
                     prov:wasGeneratedBy ?translation ; prov:wasAttributedTo ?agent .
            ?translation a prov:Activity ; prov:used ?primary ;
                         prov:wasAssociatedWith [ a prov:SoftwareAgent ; schema:name ?engine ] .
            ?agent a schema:Person ; schema:name ?author .
        }"""))
    assert [(str(r.primary), str(r.engine), str(r.author)) for r in rows] == [
        (story["article"].primary_source_url, "deepl", "Olena Petrenko")]
    assert str(rows[0].article).endswith(f"/articles/{story['article'].slug}/")


def test_a_withdrawn_asset_was_invalidated_by_a_withdrawal_informed_by_its_decision(graph, story):  # noqa: F811
    rows = list(graph.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX schema: <https://schema.org/>
        SELECT ?asset ?when ?action ?notice WHERE {
            ?asset prov:hadPrimarySource ?original ; prov:invalidatedAtTime ?when ;
                   prov:wasInvalidatedBy ?withdrawal ; schema:copyrightHolder ?holder .
            ?withdrawal a prov:Activity ; prov:wasInformedBy ?decision .
            ?decision schema:name ?action ; prov:used ?notice .
            ?notice schema:identifier ?reference .
        }""", initBindings={"original": rdflib.URIRef(PHOTO)}))
    assert len(rows) == 1 and str(rows[0].action) == "remove_asset"
    assert str(rows[0].notice).endswith(story["photo_notice"].reference)
    assert rows[0].when.datatype == rdflib.XSD.dateTime


def test_no_claimant_personal_data_in_the_graph(graph):
    text = graph.serialize(format="nt")
    assert "kyivindependent" not in text and "Marta" not in text and PRIMARY in text
