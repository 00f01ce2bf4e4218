import hashlib

from django.db import migrations, models
from django.utils.text import slugify

# The rule of articles/slugs.py as it was when this migration was written,
# kept here so that later changes to it do not change what this migration did.
RESERVED_CATEGORY_SLUGS = {"tag", "author", "search", "feed", "page"}


def slug_for(text, *, prefix, max_length):
    slug = slugify(text, allow_unicode=True)[:max_length].strip("-_")
    if slug:
        return slug
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{prefix}-{digest[:8]}"


def unique_slug(base, *, taken, max_length):
    candidate, counter = base, 2
    while taken(candidate):
        suffix = f"-{counter}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        counter += 1
    return candidate


def give_empty_slugs_one(apps, schema_editor):
    """Every row with an empty slug gets one from its name, as a new row would."""
    models_and_names = [
        ("Category", "name", "category", lambda slug: slug in RESERVED_CATEGORY_SLUGS),
        ("Tag", "name", "tag", lambda slug: False),
        ("Author", "display_name", "author", lambda slug: False),
    ]
    for model_name, name_field, prefix, reserved in models_and_names:
        model = apps.get_model("articles", model_name)
        max_length = model._meta.get_field("slug").max_length
        for row in model.objects.filter(slug=""):
            row.slug = unique_slug(
                slug_for(getattr(row, name_field), prefix=prefix, max_length=max_length),
                taken=lambda slug, model=model, reserved=reserved: reserved(slug)
                or model.objects.filter(slug=slug).exists(),
                max_length=max_length,
            )
            model.objects.filter(pk=row.pk).update(slug=row.slug)
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(slug=""):
        slug = unique_slug(
            slug_for(article.title, prefix="article", max_length=200),
            taken=lambda slug, language=article.language: Article.objects.filter(
                language=language, slug=slug
            ).exists(),
            max_length=200,
        )
        Article.objects.filter(pk=article.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_image_wordpress_upload"),
    ]

    operations = [
        migrations.RunPython(give_empty_slugs_one, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True),
                name="article_slug_not_empty",
            ),
        ),
        migrations.AddConstraint(
            model_name="author",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True),
                name="author_slug_not_empty",
            ),
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True),
                name="category_slug_not_empty",
            ),
        ),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True),
                name="tag_slug_not_empty",
            ),
        ),
    ]
