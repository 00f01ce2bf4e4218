import uuid

from django.db import migrations, models


def give_each_its_own_group(apps, schema_editor):
    for name in ("Article", "Page"):
        model = apps.get_model("articles", name)
        for pk in model.objects.values_list("pk", flat=True).iterator():
            model.objects.filter(pk=pk).update(translation_key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("articles", "0022_wordpress_import_of_pages_and_menus")]

    operations = [
        # Null first: a callable default gives every existing row the same value.
        migrations.AddField(
            model_name="article",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="page",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_its_own_group, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="translation_key",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                verbose_name="translation group",
            ),
        ),
        migrations.AlterField(
            model_name="page",
            name="translation_key",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                verbose_name="translation group",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                fields=("translation_key", "language"),
                name="article_one_translation_per_language",
            ),
        ),
        migrations.AddConstraint(
            model_name="page",
            constraint=models.UniqueConstraint(
                fields=("translation_key", "language"),
                name="page_one_translation_per_language",
            ),
        ),
    ]
