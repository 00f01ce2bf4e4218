"""
The three roles (Administrator, Editor, Author) are groups whose permissions
migration 0002_roles sets. Code asks about capabilities, never about group names.
"""

from django.utils.text import slugify

from articles.models import Author

ADMINISTRATOR = "Administrator"
EDITOR = "Editor"
AUTHOR = "Author"


def can_publish(user):
    return user.has_perm("articles.publish_article")


def can_edit_others(user):
    return user.has_perm("articles.edit_others_articles")


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
