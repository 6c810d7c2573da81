"""Who does something: a member of staff, an API sender, the claimant through a channel, a part of the
system acting on its own, a command or a task.

Every compliance service takes an `Actor`. What the audit log, decisions and provenance store is its `id`,
in the form they have always held ("user:3", "claimant:email", "system:sla", "cli:withdraw_article",
"task:verify_audit_log", and plain "web" for the public counter-notice form): the log is append-only and
verified, so the stored form never changes. Pages show its `name`, never the id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.contrib.auth import get_user_model


@dataclass(frozen=True)
class Actor:
    kind: str
    ident: str = ""
    # The staff member or API sender behind a "user" actor, when the caller has them (a decision links it).
    user: Any = field(default=None, compare=False, repr=False)

    USER: ClassVar[str] = "user"  # staff, and API senders: both are users
    CLAIMANT: ClassVar[str] = "claimant"
    SYSTEM: ClassVar[str] = "system"
    COMMAND: ClassVar[str] = "cli"
    TASK: ClassVar[str] = "task"
    PUBLIC_FORM: ClassVar[str] = "web"  # whoever uses the public counter-notice form

    @classmethod
    def staff(cls, user: Any) -> Actor:
        return cls(cls.USER, str(user.pk), user)

    @classmethod
    def api_sender(cls, user: Any) -> Actor:
        """A registered API sender is a user too: stored as "user:N" like staff."""
        return cls.staff(user)

    @classmethod
    def claimant(cls, channel: str) -> Actor:
        """The claimant (or the person objecting, by mail) through a channel: "web", "email"."""
        return cls(cls.CLAIMANT, channel)

    @classmethod
    def system(cls, part: str) -> Actor:
        return cls(cls.SYSTEM, part)

    @classmethod
    def command(cls, name: str) -> Actor:
        return cls(cls.COMMAND, name)

    @classmethod
    def task(cls, name: str) -> Actor:
        return cls(cls.TASK, name)

    @classmethod
    def parse(cls, stored: str) -> Actor:
        """The actor a stored id (or a command's --by) names; `parse(s).id == s`."""
        kind, _, ident = stored.partition(":")
        return cls(kind, ident)

    @property
    def id(self) -> str:
        """What is stored: the one place the form "kind:ident" is written."""
        return f"{self.kind}:{self.ident}" if self.ident else self.kind

    @property
    def name(self) -> str:
        """In words, for pages: a person's name, or what the system part is."""
        if self.kind == self.USER and self.ident.isdigit():
            user = self.user or get_user_model().objects.filter(pk=int(self.ident)).first()
            if user is None:
                return f"a former member of staff (#{self.ident})"
            return user.get_full_name() or user.get_username()
        return NAMES.get(self.id, self.id)


# The parts of the system, and the channels, that act on their own account.
SLA_DEADLINE = Actor.system("sla")
MAIL_CHECK = Actor.system("dkim")
STAY_DOWN = Actor.system("stay-down")
DEMO_DATA = Actor.system("seed_demo")
CLAIMANT_WEB = Actor.claimant("web")
CLAIMANT_EMAIL = Actor.claimant("email")
COUNTER_NOTICE_FORM = Actor(Actor.PUBLIC_FORM)  # stored as plain "web" since the first counter-notice

# What staff pages say for an actor that is not a person.
NAMES = {
    SLA_DEADLINE.id: "the 24-hour deadline (automatic)",
    MAIL_CHECK.id: "the mail check (automatic)",
    STAY_DOWN.id: "stay-down (automatic)",
    DEMO_DATA.id: "demo data",
    CLAIMANT_WEB.id: "the claimant (web)",
    CLAIMANT_EMAIL.id: "the claimant (email)",
    COUNTER_NOTICE_FORM.id: "the objector (web form)",
}
