"""An actor is stored in the form the append-only audit log has always held, and read back from it."""

import pytest

from articles import actors
from articles.actors import Actor


@pytest.mark.django_db
def test_every_actor_is_stored_as_the_log_has_always_held_it(django_user_model):
    staff = django_user_model.objects.create_user("olga", first_name="Olga", last_name="Lead")

    stored = {
        Actor.staff(staff): f"user:{staff.pk}",
        Actor.api_sender(staff): f"user:{staff.pk}",
        actors.CLAIMANT_WEB: "claimant:web",
        actors.CLAIMANT_EMAIL: "claimant:email",
        Actor.claimant("manual"): "claimant:manual",
        actors.SLA_DEADLINE: "system:sla",
        actors.MAIL_CHECK: "system:dkim",
        actors.STAY_DOWN: "system:stay-down",
        actors.DEMO_DATA: "system:seed_demo",
        actors.COUNTER_NOTICE_FORM: "web",
        Actor.command("withdraw_article"): "cli:withdraw_article",
        Actor.task("verify_audit_log"): "task:verify_audit_log",
    }

    assert {actor.id: expected for actor, expected in stored.items()} == {e: e for e in stored.values()}
    assert all(Actor.parse(expected).id == expected for expected in stored.values())
    assert Actor.staff(staff).user == staff and Actor.parse(f"user:{staff.pk}").user is None


@pytest.mark.django_db
def test_an_actor_is_named_in_words(django_user_model):
    staff = django_user_model.objects.create_user("olga", first_name="Olga", last_name="Lead")
    plain = django_user_model.objects.create_user("bob")

    assert Actor.parse(f"user:{staff.pk}").name == "Olga Lead"
    assert Actor.staff(plain).name == "bob"
    assert Actor.parse("user:999999").name == "a former member of staff (#999999)"
    assert actors.SLA_DEADLINE.name == "the 24-hour deadline (automatic)"
    assert Actor.parse("cli:withdraw_article").name == "cli:withdraw_article"
