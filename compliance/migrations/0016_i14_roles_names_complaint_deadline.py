from django.db import migrations, models

from compliance.roles import sync_role_groups


class Migration(migrations.Migration):
    # The roles' view permissions are now derived from the apps' models, proxies included (held
    # articles): re-sync the groups so existing installations get them. "SLA breaches", not "Sla breachs".
    # A claimant's complaint gets its own deadline (one per complaint, so not once per notice).
    dependencies = [("compliance", "0015_i12b_message_kinds_response_deadline"),
                    ("articles", "0004_source_rehost_pictures")]

    operations = [
        migrations.AlterModelOptions(
            name="slabreach",
            options={"ordering": ["-detected_at"], "verbose_name": "SLA breach", "verbose_name_plural": "SLA breaches"},
        ),
        migrations.AlterModelOptions(name="sladeadline", options={"ordering": ["due_at"], "verbose_name": "SLA deadline"}),
        migrations.RemoveConstraint(model_name="sladeadline", name="sla_deadline_once_per_kind"),
        migrations.AddField(
            model_name="slapolicy",
            name="complaint_hours",
            field=models.PositiveIntegerField(default=168, help_text="Hours to answer a claimant's complaint about a "
                                              "rejection (DSA Art. 20), and to decide again the items it reopens"),
        ),
        migrations.AlterField(
            model_name="sladeadline",
            name="kind",
            field=models.CharField(choices=[("escalate_50", "Escalation at 50%"), ("escalate_75", "Escalation at 75%"),
                                            ("escalate_90", "Escalation at 90%"), ("due", "Due"),
                                            ("restore", "Restore window ends"),
                                            ("response", "Response due (incomplete notice)"),
                                            ("complaint", "Claimant's complaint to be answered")], max_length=15),
        ),
        migrations.AddConstraint(
            model_name="sladeadline",
            constraint=models.UniqueConstraint(condition=~models.Q(kind__in=["restore", "complaint"]),
                                               fields=("notice", "kind"), name="sla_deadline_once_per_kind"),
        ),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
