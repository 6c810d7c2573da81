class ComplianceError(Exception):
    """A rule of the domain was broken; the message is fit to show to the person who asked."""


class IllegalTransition(ComplianceError):
    pass


class NotFound(ComplianceError):
    pass
