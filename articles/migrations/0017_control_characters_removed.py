import re

from django.db import migrations, models

# articles/control_characters.py as it was when this migration was written.
FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
BREAKS = re.compile("[\x0b\x0c]")


def remove(text):
    return FORBIDDEN.sub("", BREAKS.sub(" ", text))


def remove_from_existing_rows(apps, schema_editor):
    """Text saved before control characters were removed at the door loses them now."""
    for model in apps.get_app_config("articles").get_models():
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        if not names:
            continue
        for row in model.objects.only("pk", *names).iterator(chunk_size=500):
            changed = {
                name: remove(getattr(row, name))
                for name in names
                if isinstance(getattr(row, name), str)
                and remove(getattr(row, name)) != getattr(row, name)
            }
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_slugs_never_empty"),
    ]

    operations = [
        migrations.RunPython(remove_from_existing_rows, migrations.RunPython.noop),
    ]
