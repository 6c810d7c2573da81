from django.db import migrations

from compliance.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("compliance", "0003_notices_and_mail")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
