"""
The three roles (Administrator, Editor, Author) are groups. Their
permissions are defined here and synced after every migrate, so a model
added later gets its permissions in each role without a data migration.
Code asks about capabilities, never about group names.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.text import slugify

from articles.models import Author

ADMINISTRATOR = "Administrator"
EDITOR = "Editor"
AUTHOR = "Author"
MEDICAL_REVIEWER = "Medical reviewer"
ROLES = (ADMINISTRATOR, EDITOR, AUTHOR, MEDICAL_REVIEWER)

# The parts of an article an Author writes along with it.
ARTICLE_PARTS = {"faqitem", "reference", "keytakeaway", "taggedarticle"}
# What an Author may see or add beyond their own articles.
AUTHOR_EXTRAS = {
    "view_category",
    "view_tag",
    "add_tag",
    "view_author",
    "add_image",
    "view_image",
}
EDITOR_EXTRAS = {"publish_article", "edit_others_articles"}
# A medical reviewer reads what they are asked to sign off and decides;
# signing off is theirs alone, not an editor's.
REVIEWER_PERMISSIONS = {
    "view_article",
    "view_category",
    "view_tag",
    "view_author",
    "view_image",
    "view_signoff",
    "sign_off_article",
}
# The audit log is for Administrators only, and read-only even for them: only
# articles/audit.py writes it.
AUDIT_LOG = "auditentry"
# Deleting for good loses work: only Administrators may.
ADMINISTRATOR_ONLY = {"empty_trash"}


def role_permissions(role):
    """Return the articles app's permissions a role holds (Administrators hold every permission)."""
    permissions = Permission.objects.select_related("content_type")
    if role == ADMINISTRATOR:
        return permissions.exclude(
            content_type__model=AUDIT_LOG,
            codename__in=[
                f"{verb}_{AUDIT_LOG}" for verb in ("add", "change", "delete")
            ],
        )
    articles = permissions.filter(content_type__app_label="articles").exclude(
        content_type__model=AUDIT_LOG
    )
    if role == EDITOR:
        return articles.exclude(codename__in=ADMINISTRATOR_ONLY | {"sign_off_article"})
    if role == MEDICAL_REVIEWER:
        return articles.filter(codename__in=REVIEWER_PERMISSIONS)
    return [
        permission
        for permission in articles
        if permission.codename in AUTHOR_EXTRAS
        or permission.content_type.model in ARTICLE_PARTS
        or permission.codename in {"add_article", "change_article", "view_article"}
    ]


def sync_roles(**kwargs):
    """Create the role groups and give each exactly its permissions."""
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(role_permissions(role))


def can_publish(user):
    return user.has_perm("articles.publish_article")


def can_edit_others(user):
    return user.has_perm("articles.edit_others_articles")


def can_sign_off(user):
    return user.has_perm("articles.sign_off_article")


def users_with_perm(perm):
    """Active users who hold a permission ("app_label.codename"), by role or their own."""
    app_label, codename = perm.split(".")
    permission = Permission.objects.filter(
        codename=codename, content_type__app_label=app_label
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
        )
        .distinct()
    )


def profile_for(user):
    """Return the byline of a user, creating one from their name on first use."""
    try:
        return user.author_profile
    except Author.DoesNotExist:
        name = user.get_full_name() or user.get_username()
        slug, counter = slugify(name, allow_unicode=True) or f"user-{user.pk}", 2
        base = slug
        while Author.objects.filter(slug=slug).exists():
            slug, counter = f"{base}-{counter}", counter + 1
        return Author.objects.create(user=user, display_name=name, slug=slug)
