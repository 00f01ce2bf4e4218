from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen here: a migration must not change when articles.roles changes later.
CONTENT_MODELS = [
    "article",
    "category",
    "tag",
    "image",
    "author",
    "faqitem",
    "reference",
    "keytakeaway",
    "taggedarticle",
]
ARTICLE_PARTS = ["faqitem", "reference", "keytakeaway", "taggedarticle"]


def crud(models, actions=("add", "change", "delete", "view")):
    return {f"{action}_{model}" for model in models for action in actions}


ROLES = {
    "Editor": crud(CONTENT_MODELS) | {"publish_article", "edit_others_articles"},
    "Author": (
        crud(["article"], ("add", "change", "view"))
        | crud(ARTICLE_PARTS)
        | {
            "view_category",
            "view_tag",
            "add_tag",
            "view_author",
            "add_image",
            "view_image",
        }
    ),
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrator, _ = Group.objects.get_or_create(name="Administrator")
    administrator.permissions.set(Permission.objects.all())
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="articles", codename__in=codenames
            )
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Administrator", *ROLES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
