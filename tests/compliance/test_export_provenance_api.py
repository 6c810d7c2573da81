import csv
import io
import json

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from compliance.models import AuditEntry
from tests.compliance.test_export_provenance import story  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
URL = "/api/v1/exports/provenance/"


def _client(django_user_model, name: str, group: str | None) -> APIClient:
    user = django_user_model.objects.create_user(name, password="pw-for-tests-only")
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_an_auditor_streams_csv_chosen_by_output_or_accept(story, django_user_model):  # noqa: F811
    auditor = _client(django_user_model, "auditor", "Auditor")

    by_param = auditor.get(URL, {"output": "csv"})
    by_accept = auditor.get(URL, HTTP_ACCEPT="text/csv")

    assert by_param.status_code == 200 and by_param.streaming
    assert by_param["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="provenance-' in by_param["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(_body(by_param))))
    assert len(rows) == 3 and rows[0]["title"].startswith("'=")
    assert _body(by_accept) == _body(auditor.get(URL, {"output": "csv"}))


def test_format_is_not_taken_from_drfs_reserved_parameter(story, django_user_model):  # noqa: F811
    auditor = _client(django_user_model, "auditor", "Auditor")
    response = auditor.get(URL, {"format": "jsonld"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert len(json.loads(_body(response))["rows"]) == 3


def test_jsonld_and_filters_over_http(story, django_user_model):  # noqa: F811
    auditor = _client(django_user_model, "auditor", "Auditor")
    response = auditor.get(URL, {"output": "jsonld", "status": "withdrawn"})
    assert response["Content-Type"] == "application/ld+json"
    assert [node["@type"][1] for node in json.loads(_body(response))["@graph"]] == ["schema:MediaObject"]


@pytest.mark.parametrize("query, status, message", [
    ({"output": "xml"}, 400, "unknown output"),
    ({"status": "gone"}, 400, "unknown status"),
    ({"with_personal_data": "1"}, 403, "view_personal_data"),
])
def test_bad_requests_are_refused_with_a_reason(story, django_user_model, query, status, message):  # noqa: F811
    response = _client(django_user_model, "auditor", "Auditor").get(URL, query)
    assert response.status_code == status and message in response.json()["detail"]


def test_personal_data_for_a_lead_is_audited(story, django_user_model):  # noqa: F811
    lead = _client(django_user_model, "lead", "Compliance lead")
    body = _body(lead.get(URL, {"output": "csv", "with_personal_data": "true"}))
    assert "rights@other.example" in body
    assert AuditEntry.objects.filter(action="export.personal_data").count() == 1


def test_only_accounts_that_may_export_get_anything(story, django_user_model):  # noqa: F811
    assert _client(django_user_model, "reviewer", "Reviewer").get(URL).status_code == 403
    assert APIClient().get(URL).status_code in (401, 403)
