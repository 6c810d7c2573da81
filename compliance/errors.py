class ComplianceError(Exception):
    """A rule of the domain was broken; the message is fit to show to the person who asked."""


class IllegalTransition(ComplianceError):
    pass


class ForbiddenMove(IllegalTransition):
    """A notice was asked to change status in a way `Notice.TRANSITIONS` does not allow."""


class NotFound(ComplianceError):
    pass


class NoticeInvalid(ComplianceError):
    """What arrived cannot become a notice as it stands (it is kept; the reason is recorded)."""
