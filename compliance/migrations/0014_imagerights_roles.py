from django.db import migrations

from compliance.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("compliance", "0013_claimant_complaints"), ("imagerights", "0001_initial")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
