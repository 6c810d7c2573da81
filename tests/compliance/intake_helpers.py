from compliance.intake.submission import ItemInput, Submission, validate_items


def submission(*urls: str, domains: tuple[str, ...] = (), **fields) -> Submission:
    items, errors = validate_items([ItemInput(url=u) for u in urls] + [ItemInput(url=d, scope="domain") for d in domains])
    assert not errors, errors
    defaults = dict(claimant_name="Marta Hnatiuk", claimant_email="legal@kyivindependent.example",
                    claimant_address="12 Example St, Kyiv", good_faith=True, accuracy=True,
                    signature="Marta Hnatiuk", work_description="News report of 16 May 2022")
    return Submission(items=tuple(items), **{**defaults, **fields})
