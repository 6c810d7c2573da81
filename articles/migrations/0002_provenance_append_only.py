from django.db import migrations

from articles.append_only import make_append_only


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [
        migrations.RunPython(make_append_only("articles_provenanceevent"), migrations.RunPython.noop),
    ]
