from compliance.parsing.submission import ItemInput, Submission, validate_items


def submission(*urls: str, domains: tuple[str, ...] = (), **fields) -> Submission:
    items, errors = validate_items([ItemInput(url=u) for u in urls] + [ItemInput(url=d, scope="domain") for d in domains])
    assert not errors, errors
    defaults = dict(claimant_name="Marta Hnatiuk", claimant_email="legal@kyivindependent.example",
                    claimant_address="12 Example St, Kyiv", good_faith=True, accuracy=True,
                    signature="Marta Hnatiuk", work_description="News report of 16 May 2022")
    return Submission(items=tuple(items), **{**defaults, **fields})


def notice_sender_api(user):
    """An API client authenticated by token as ``user``, put in the "Notice sender" group (made here,
    not only by the migration: a transactional test's flush empties the groups table)."""
    from django.contrib.auth.models import Group, Permission
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    group, _ = Group.objects.get_or_create(name="Notice sender")
    group.permissions.add(Permission.objects.get(content_type__app_label="compliance", codename="add_notice"))
    user.groups.add(group)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client
