"""Staff roles. The review-queue work refines these; the groups exist from the first migration."""

REVIEWER = "Reviewer"
COMPLIANCE_LEAD = "Compliance lead"
AUDITOR = "Auditor"
ADMIN = "Admin"

_VIEW_ALL = [
    f"{app}.view_{model}"
    for app, models in {
        "articles": ["source", "sourcedomain", "rightsholder", "creator", "article", "asset", "provenanceevent"],
        "compliance": ["auditentry", "auditverification"],
    }.items()
    for model in models
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    AUDITOR: _VIEW_ALL,
    REVIEWER: _VIEW_ALL,
    COMPLIANCE_LEAD: _VIEW_ALL + [
        "articles.change_source", "articles.change_rightsholder", "articles.add_rightsholder",
        "articles.change_creator", "articles.add_sourcedomain", "articles.change_sourcedomain",
    ],
    ADMIN: _VIEW_ALL + [
        f"articles.{verb}_{model}"
        for verb in ("add", "change")
        for model in ("source", "sourcedomain", "rightsholder", "creator", "article", "asset")
    ],
}
