"""Two indexes that every notice's items and matches filled and no query needed.

- compliance_noticeitem.notice_id: notice_item_position (notice_id, position) and notice_item_once
  (notice_id, scope, url_key) both begin with notice_id and serve every lookup by notice.
- compliance_noticeitemmatch.puid: unique=True made a unique index and a varchar_pattern_ops one
  for LIKE; puid is only ever compared whole, so it stays unique by the constraint match_puid_once.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("compliance", "0010_review_queue"),
    ]

    operations = [
        migrations.AlterField(
            model_name="noticeitem",
            name="notice",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="items", to="compliance.notice"),
        ),
        migrations.AlterField(
            model_name="noticeitemmatch",
            name="puid",
            field=models.CharField(default=uuid.uuid4, max_length=64,
                                   help_text="Platform-unique id of the decision on this match (DSA)"),
        ),
        migrations.AddConstraint(
            model_name="noticeitemmatch",
            constraint=models.UniqueConstraint(fields=("puid",), name="match_puid_once"),
        ),
    ]
