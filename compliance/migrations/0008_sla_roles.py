from django.db import migrations

from compliance.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("compliance", "0007_decision_mail")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
