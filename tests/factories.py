"""Small builders for test data; each takes overrides as keyword arguments."""

import itertools
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles import publishing
from articles.models import Article, Author, Category, Image

_sequence = itertools.count(1)


def make_category(**overrides):
    """A category whose articles need no medical sign-off, unless asked for."""
    n = next(_sequence)
    fields = {
        "name": f"Category {n}",
        "slug": f"category-{n}",
        "requires_sign_off": False,
    } | overrides
    return Category.objects.create(**fields)


def make_author(**overrides):
    n = next(_sequence)
    fields = {
        "display_name": f"Author {n}",
        "slug": f"author-{n}",
        "credentials": "MD",
    } | overrides
    return Author.objects.create(**fields)


def make_image(**overrides):
    n = next(_sequence)
    fields = {
        "source_url": f"https://images.example.org/photo-{n}.jpg",
        "alt_text": f"Photo {n}",
        "width": 1200,
        "height": 800,
    } | overrides
    return Image.objects.create(**fields)


def make_article(*, tags=(), categories=(), **overrides):
    n = next(_sequence)
    fields = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(days=1),
        "body": f"<h2>Section {n}</h2><p>Body of article {n}.</p>",
        "excerpt": f"<p>Summary of article {n}.</p>",
    } | overrides
    if "primary_category" not in fields:
        fields["primary_category"] = make_category()
    if "author" not in fields:
        fields["author"] = make_author()

    def write_parts(article):
        article.tags.add(*tags)
        article.categories.add(*categories)

    return publishing.save(Article(**fields), user=None, write_parts=write_parts).obj


def save_article(article):
    """Store a changed test article as the system would, with what follows from it."""
    return publishing.save(article, user=None).obj


def make_user(role=None, **overrides):
    """Return a staff user in the given role ("Administrator", "Editor" or "Author")."""
    n = next(_sequence)
    fields = {
        "username": f"user{n}",
        "email": f"user{n}@example.org",
        "is_staff": role is not None,
    } | overrides
    user = User.objects.create_user(password="correct-horse-battery", **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user
