"""
Revisions, autosaves, review comments and automatic redirects belong to any
kind of content, not only to articles: they point at their object by
content type and id.
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("revision", "autosave", "reviewcomment", "redirect")


def point_at_articles(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    article_type, _created = ContentType.objects.get_or_create(
        app_label="articles", model="article"
    )
    for name in MODELS:
        model = apps.get_model("articles", name)
        model.objects.filter(article__isnull=False).update(
            content_type=article_type, object_id=models.F("article_id")
        )


def point_back_at_articles(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("articles", name)
        model.objects.filter(object_id__isnull=False).update(
            article_id=models.F("object_id")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_autosave"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        *(
            operation
            for name in MODELS
            for operation in (
                migrations.AddField(
                    model_name=name,
                    name="content_type",
                    field=models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                migrations.AddField(
                    model_name=name,
                    name="object_id",
                    field=models.PositiveBigIntegerField(
                        blank=True, editable=False, null=True
                    ),
                ),
            )
        ),
        migrations.RunPython(point_at_articles, point_back_at_articles),
        migrations.RemoveConstraint(
            model_name="autosave", name="autosave_one_per_user_and_article"
        ),
        *(
            migrations.RemoveField(model_name=name, name="article") for name in MODELS
        ),
        *(
            operation
            for name in ("revision", "autosave", "reviewcomment")
            for operation in (
                migrations.AlterField(
                    model_name=name,
                    name="content_type",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                migrations.AlterField(
                    model_name=name,
                    name="object_id",
                    field=models.PositiveBigIntegerField(),
                ),
            )
        ),
        migrations.AddConstraint(
            model_name="autosave",
            constraint=models.UniqueConstraint(
                fields=("content_type", "object_id", "user"),
                name="autosave_one_per_user_and_object",
            ),
        ),
        migrations.AddIndex(
            model_name="revision",
            index=models.Index(
                fields=["content_type", "object_id", "-id"],
                name="revision_latest_per_object",
            ),
        ),
        migrations.AddIndex(
            model_name="redirect",
            index=models.Index(
                fields=["content_type", "object_id"], name="redirect_per_target"
            ),
        ),
    ]
