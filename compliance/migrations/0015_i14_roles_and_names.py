from django.db import migrations

from compliance.roles import sync_role_groups


class Migration(migrations.Migration):
    # The roles' view permissions are now derived from the apps' models, proxies included (held
    # articles): re-sync the groups so existing installations get them. "SLA breaches", not "Sla breachs".
    dependencies = [("compliance", "0014_imagerights_roles"), ("articles", "0004_source_rehost_pictures")]

    operations = [
        migrations.AlterModelOptions(
            name="slabreach",
            options={"ordering": ["-detected_at"], "verbose_name": "SLA breach", "verbose_name_plural": "SLA breaches"},
        ),
        migrations.AlterModelOptions(name="sladeadline", options={"ordering": ["due_at"], "verbose_name": "SLA deadline"}),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
