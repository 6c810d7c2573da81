class ComplianceError(Exception):
    """A rule of the domain was broken; the message is fit to show to the person who asked."""


class IllegalTransition(ComplianceError):
    pass


class NotFound(ComplianceError):
    pass


class NoticeInvalid(ComplianceError):
    """What arrived cannot become a notice as it stands (it is kept; the reason is recorded)."""
