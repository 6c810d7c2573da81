import pytest

from articles.credits import Credit, parse_credit


@pytest.mark.parametrize("line, expected", [
    ("Photo by John Moore/Getty Images", Credit("John Moore", "Getty Images")),
    ("Source: Ministry of Defence of Ukraine.", Credit("", "Ministry of Defence of Ukraine")),
    ("Map: Institute for the Study of War", Credit("", "Institute for the Study of War")),
    ("Photo by Jane Doe for The Example Times", Credit("Jane Doe", "The Example Times")),
    ("© Reuters", Credit("", "Reuters")),
    ("Anna Kovalenko/AFP", Credit("Anna Kovalenko", "AFP")),
    ("", Credit("", "")),
])
def test_credit_line_names_creator_and_rights_holder(line, expected):
    assert parse_credit(line) == expected
