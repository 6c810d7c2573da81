from django.db import migrations

from compliance.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("compliance", "0008_sla_roles")]

    operations = [
        migrations.AlterModelOptions(
            name="notice",
            options={
                "ordering": ["-trusted", "due_at", "received_at"],
                "permissions": [
                    ("decide_notice", "Can decide notices: withdraw, reject, ask for information"),
                    ("override_decision", "Can override decisions and restore withdrawn content"),
                    ("suspend_sender", "Can suspend senders and mark trusted flaggers"),
                    ("view_personal_data", "Can see claimants' personal data"),
                    ("export_records", "Can export provenance, statements and reports"),
                ],
            },
        ),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
