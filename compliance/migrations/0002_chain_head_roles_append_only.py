from django.contrib.auth.management import create_permissions
from django.db import migrations

from articles.append_only import make_append_only

def create_head(apps, schema_editor):
    apps.get_model("compliance", "AuditChainHead").objects.get_or_create(pk=1)


def create_role_groups(apps, schema_editor):
    from compliance.roles import ROLE_PERMISSIONS

    # Permissions are normally made after migrate; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0001_initial"),
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(make_append_only("compliance_auditentry"), migrations.RunPython.noop),
        migrations.RunPython(create_role_groups, migrations.RunPython.noop),
    ]
