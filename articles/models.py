import copy
import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from articles import body_editor, imaging, languages, richtext, slugs
from articles.sanitize import safe_url, sanitize_inline, sanitize_rich_text

# Slugs that would collide with the fixed parts of /<lang>/... URLs: no
# category and no top-level page may take them.
RESERVED_SLUGS = {"tag", "author", "search", "feed", "page"}

BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Figure": {"pickerUrl": richtext.IMAGE_PICKER_URL},
    "Caption": True,
    "Image": True,
    "History": True,
    "SpecialCharacters": True,
    "VideoEmbed": body_editor.VIDEO_EMBED,
    "Callout": body_editor.CALLOUT,
    # Spelling is checked: the library's default turns it off.
    "NoSpellCheck": False,
    "SpellCheck": True,
}
INLINE_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "History": True,
    "NoSpellCheck": False,
    "SpellCheck": True,
}


# The editor's own sanitizing is replaced by ours, so that forms, save() and
# the importer share one allowlist.
def rich_text_field(**kwargs):
    return ProseEditorField(
        config={"extensions": BODY_EXTENSIONS}, sanitize=sanitize_rich_text, **kwargs
    )


def inline_text_field(**kwargs):
    return ProseEditorField(
        config={"extensions": INLINE_EXTENSIONS}, sanitize=sanitize_inline, **kwargs
    )


class Category(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_(
            "Forms the article URLs, e.g. “beauty” in /en/beauty/back-spasm-remedy/."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    requires_sign_off = models.BooleanField(
        _("needs a medical sign-off"),
        default=True,
        help_text=_(
            "Its articles go live only once a medical reviewer has signed off "
            "what they say. Untick for non-medical topics, e.g. news of the clinic."
        ),
    )
    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress id"), null=True, blank=True, unique=True
    )
    # A category is one topic in every language: name and slug above are the
    # LANGUAGE_CODE's, and this holds the others', e.g.
    # {"nl": {"name": "Gezondheid", "slug": "gezondheid"}}. On the row
    # rather than in a table of their own: every page that shows an
    # article already joins its category, so the names come with it and
    # no listing, feed or sitemap needs another query; a language added to
    # settings.LANGUAGES needs no migration, only its names. Uniqueness of
    # a slug within its language is checked in clean() (categories are few).
    translations = models.JSONField(
        _("names in other languages"),
        default=dict,
        blank=True,
        help_text=_('E.g. {"nl": {"name": "Gezondheid", "slug": "gezondheid"}}.'),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(slug=""), name="category_slug_not_empty"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugs.unique_slug(
                slugs.slug_for(self.name, prefix="category", max_length=200),
                taken=lambda slug: (
                    slug in RESERVED_SLUGS
                    or Category.objects.filter(slug=slug).exclude(pk=self.pk).exists()
                ),
                max_length=200,
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self, language=None):
        language = language or getattr(self, "shown_language", settings.LANGUAGE_CODE)
        return languages.reverse_in(
            language,
            "articles:category",
            kwargs={"slug": self.slug_in(language)},
        )

    def name_in(self, language):
        """The name readers of language see: its own, else the default language's."""
        return (self.translations.get(language) or {}).get("name") or self.name

    def slug_in(self, language):
        """The slug of its URLs in language: its own, else the default language's."""
        return (self.translations.get(language) or {}).get("slug") or self.slug

    def as_shown_in(self, language):
        """
        A copy that shows the category as readers of language see it (its
        name and slug there, and its parent's), for templates that print
        category.name. For display only: never saved.
        """
        shown = copy.copy(self)
        shown.name, shown.slug = self.name_in(language), self.slug_in(language)
        shown.translations = {}
        shown.shown_language = language
        if self.parent_id is not None:
            shown.parent = self.parent.as_shown_in(language)
        return shown

    @classmethod
    def slug_lookup(cls, slug, language):
        """The condition that finds the category answering at /<language>/<slug>/."""
        return models.Q(**{f"translations__{language}__slug": slug}) | models.Q(
            slug=slug
        )

    @classmethod
    def at_slug(cls, slug, language):
        """The category of /<language>/<slug>/: the language's own slug first."""
        found = list(cls.objects.filter(cls.slug_lookup(slug, language))[:2])
        found.sort(key=lambda category: category.slug_in(language) != slug)
        return found[0] if found else None

    def clean(self):
        self._clean_translations()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("“%s” is reserved for the site's own pages.") % self.slug}
            )
        clash = Page.objects.filter(parent=None, slug=self.slug).first()
        if clash is not None:
            raise ValidationError({"slug": slug_clash_message(clash)})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError(
                    {"parent": _("A category cannot be its own ancestor.")}
                )
            ancestor = ancestor.parent

    def _clean_translations(self):
        """
        Refuse a name in a language the site lacks, and a slug that another
        category or top-level page answers at in its language. Raised for
        the whole form: the names are edited as fields of their own.
        """
        languages = {code for code, _name in settings.LANGUAGES}
        for language, names in (self.translations or {}).items():
            if language not in languages or not isinstance(names, dict):
                raise ValidationError(
                    _("“%s” is not a language of the site.") % language
                )
            slug = names.get("slug", "")
            if not slug:
                continue
            if slug in RESERVED_SLUGS:
                raise ValidationError(
                    _("“%s” is reserved for the site's own pages.") % slug
                )
            taken = (
                Category.objects.filter(Category.slug_lookup(slug, language))
                .exclude(pk=self.pk)
                .first()
            )
            if taken is None:
                taken = Page.objects.filter(
                    parent=None, language=language, slug=slug
                ).first()
            if taken is not None:
                raise ValidationError(slug_clash_message(taken))


class Tag(TagBase):
    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress id"), null=True, blank=True, unique=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(slug=""), name="tag_slug_not_empty"
            )
        ]

    def get_absolute_url(self, language=None):
        return languages.reverse_in(
            language or settings.LANGUAGE_CODE,
            "articles:tag",
            kwargs={"slug": self.slug},
        )

    def slugify(self, tag, i=None):
        """
        taggit's slug of a new tag's name, never empty and never longer than
        the column (NFKC can make a slug longer than its name); i is taggit's
        counter when the first choice is taken.
        """
        suffix = "" if i is None else f"_{i}"
        max_length = self._meta.get_field("slug").max_length - len(suffix)
        slug = super().slugify(tag)[:max_length].strip("-_")
        return (
            slug or slugs.slug_for(tag, prefix="tag", max_length=max_length)
        ) + suffix


class Image(models.Model):
    """
    A picture in the library. It is either an uploaded file or, for content
    imported from another site, a remote URL with its known dimensions.
    """

    title = models.CharField(_("title"), max_length=255, blank=True)
    file = models.ImageField(
        _("file"),
        upload_to="images/%Y/%m/",
        blank=True,
        # Width and height are set by renditions.describe(), upright (after
        # EXIF orientation), rather than by width_field on every model load.
    )
    source_url = models.URLField(
        _("source URL"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Where an imported image still lives, e.g. https://example.org/wp-content/uploads/photo.webp."
        ),
    )
    source_renditions = models.JSONField(
        _("source renditions"),
        default=list,
        blank=True,
        help_text=_("The remote site's own resized copies, as a list of {url, width}."),
    )
    # The old site's /wp-content/uploads/ URLs of this image and of every
    # copy WordPress made of it answer with a 301 to it (wordpress_uploads.py).
    wordpress_upload = models.CharField(
        _("WordPress upload"),
        max_length=1000,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_(
            "The upload this image was imported from, without WordPress's size suffixes, e.g. 2024/01/photo.jpg."
        ),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=500,
        blank=True,
        help_text=_(
            "Describes the picture for people who cannot see it, e.g. “Woman stretching her lower back”."
        ),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_("E.g. “Photo: Jane Doe, CC BY 4.0”."),
    )
    decorative = models.BooleanField(
        _("decorative"),
        default=False,
        help_text=_(
            "Only ornament, e.g. a background texture: screen readers skip it and it needs no alt text."
        ),
    )
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    bytes = models.PositiveBigIntegerField(_("bytes"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=8, blank=True)
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, blank=True, db_index=True, editable=False
    )
    focal_x = models.FloatField(
        _("focal point x"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the left edge, 1 the right; click the picture to set it."),
    )
    focal_y = models.FloatField(
        _("focal point y"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the top edge, 1 the bottom."),
    )
    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress id"), null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(source_url=""),
                name="image_has_file_or_source_url",
            )
        ]

    def __str__(self):
        return (
            self.title
            or self.alt_text
            or self.source_url.rsplit("/", 1)[-1]
            or f"Image {self.pk}"
        )

    def clean(self):
        if not self.file and not self.source_url:
            raise ValidationError(_("Upload a file or give the URL of a remote image."))

    @property
    def url(self):
        return self.file.url if self.file else self.source_url

    def renditions_for(self, *, crop="", formats=None):
        """
        The renditions to draw for a crop ("" is the whole picture), smallest
        first: the crop's, else the whole picture's; only in `formats` when
        given. The one rendition chooser: the page's <picture>, the shared
        copy and the admin's thumbnails all pick from it. Reads the
        renditions prefetched by the caller.
        """
        renditions = list(self.renditions.all())
        chosen = [r for r in renditions if r.crop == crop] or [
            r for r in renditions if r.crop == ""
        ]
        if formats is not None:
            chosen = [r for r in chosen if r.format in formats]
        return sorted(chosen, key=lambda rendition: rendition.width)

    def shared_copy(self):
        """
        Return (url, width, height) of the copy to hand to other sites (Open
        Graph, JSON-LD, sitemaps, feeds, the API): the largest whole-picture
        rendition in a format every reader supports. Never the uploaded
        original, which may carry GPS and other metadata.
        """
        if not self.file:
            return self.source_url, self.width, self.height
        copies = self.renditions_for(formats=imaging.FALLBACK_FORMATS)
        if not copies:
            # Renditions are made on upload; until then nothing is shared.
            return "", None, None
        largest = copies[-1]
        return largest.file.url, largest.width, largest.height

    @property
    def focal_point(self):
        return (self.focal_x, self.focal_y)


class Rendition(models.Model):
    """
    A resized, re-encoded copy of an uploaded image, made once (see
    articles/renditions.py) and read by {% picture %}.
    """

    image = models.ForeignKey(
        Image, on_delete=models.CASCADE, related_name="renditions"
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    format = models.CharField(_("format"), max_length=8, help_text=_("E.g. “avif”."))
    crop = models.CharField(
        _("crop"),
        max_length=8,
        blank=True,
        help_text=_("An aspect ratio such as “16:9”; empty keeps the whole picture."),
    )
    file = models.FileField(_("file"), upload_to="renditions/", max_length=300)
    bytes = models.PositiveIntegerField(_("bytes"))

    class Meta:
        ordering = ["image", "crop", "format", "width"]
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        constraints = [
            models.UniqueConstraint(
                fields=["image", "width", "format", "crop"],
                name="rendition_unique_per_image_width_format_crop",
            )
        ]

    def __str__(self):
        crop = f" {self.crop}" if self.crop else ""
        return f"{self.image_id}: {self.width}w {self.format}{crop}"


class Author(models.Model):
    """
    A person shown on the site: the byline of articles or a medical reviewer.
    A login (user) is optional, so that reviewers need no account.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
    )
    display_name = models.CharField(_("display name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    credentials = models.CharField(
        _("credentials"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “MD, PhD” or “Registered dietitian”."),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    bio = inline_text_field(verbose_name=_("bio"), blank=True)
    photo = models.ForeignKey(
        Image, verbose_name=_("photo"), on_delete=models.SET_NULL, null=True, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress id"), null=True, blank=True, unique=True
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(slug=""), name="author_slug_not_empty"
            )
        ]

    def __str__(self):
        return (
            f"{self.display_name}, {self.credentials}"
            if self.credentials
            else self.display_name
        )

    def save(self, *args, **kwargs):
        self.bio = sanitize_inline(self.bio)
        if not self.slug:
            self.slug = slugs.unique_slug(
                slugs.slug_for(self.display_name, prefix="author", max_length=200),
                taken=lambda slug: (
                    Author.objects.filter(slug=slug).exclude(pk=self.pk).exists()
                ),
                max_length=200,
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self, language=None):
        return languages.reverse_in(
            language or settings.LANGUAGE_CODE,
            "articles:author",
            kwargs={"slug": self.slug},
        )


class Preferences(models.Model):
    """A person's own settings for their work in the admin."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="preferences",
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=languages.choices,
        help_text=_(
            "The language of the admin and of the e-mails it sends you, e.g. "
            "Nederlands. Empty: your browser's language."
        ),
    )

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self):
        return str(self.user)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    PRIVATE = "private", _("Private")
    TRASH = "trash", _("Trash")

    @classmethod
    def live(cls):
        """The statuses that readers see once the publish date has come."""
        return (cls.PUBLISHED, cls.SCHEDULED)

    @classmethod
    def publishing(cls):
        """The statuses only people who may publish set: what they show is out of the author's hands."""
        return (cls.PUBLISHED, cls.SCHEDULED, cls.PRIVATE)


def new_preview_key():
    return secrets.token_urlsafe(16)


class PublishableQuerySet(models.QuerySet):
    def live_at(self, moment):
        """Return the content a reader may see at `moment`."""
        return self.filter(
            status__in=PublicationStatus.live(), published_at__lte=moment
        )

    def published(self):
        """
        Return the content a reader may see right now.

        Scheduled content needs no job to go live: it becomes visible the
        moment its publish date passes. Private and trashed content never is.
        """
        return self.live_at(timezone.now())

    def scheduled_after(self, moment):
        """Return the live content whose publish date is still to come after `moment`."""
        return self.filter(status__in=PublicationStatus.live(), published_at__gt=moment)

    def translations_of(self, obj):
        """Return the texts of obj's translation group (obj included) among these."""
        return self.filter(translation_key=obj.translation_key)

    def with_live_translations(self):
        """
        Prefetch each object's live translations (Publishable.live_translations()),
        in one query for the whole list, as prefetch_related() does.
        """
        clone = self._chain()
        clone._prefetch_translations = True
        return clone

    def _chain(self):
        clone = super()._chain()
        clone._prefetch_translations = getattr(self, "_prefetch_translations", False)
        return clone

    def _fetch_all(self):
        fetched = self._result_cache is None
        super()._fetch_all()
        if fetched and getattr(self, "_prefetch_translations", False):
            attach_live_translations(
                [obj for obj in self._result_cache if isinstance(obj, Publishable)]
            )


def attach_live_translations(objects, *, moment=None):
    """
    Give each object its live translations, read for all of them in one
    query: what Publishable.live_translations() then returns without one.
    """
    objects = [obj for obj in objects if obj.pk is not None]
    if not objects:
        return
    model = type(objects[0])._meta.concrete_model
    found = {}
    live = model.objects.live_at(moment or timezone.now())
    queryset = live.filter(
        translation_key__in={obj.translation_key for obj in objects}
    ).order_by("language")
    if model is Article:
        queryset = queryset.select_related("primary_category").only(
            "pk",
            "translation_key",
            "language",
            "slug",
            "title",
            "status",
            "published_at",
            "created_at",
            "content_updated_at",
            "primary_category__slug",
            "primary_category__translations",
        )
    else:
        queryset = queryset.only(
            "pk",
            "translation_key",
            "language",
            "path",
            "slug",
            "title",
            "status",
            "published_at",
            "created_at",
            "content_updated_at",
        )
    for other in queryset:
        found.setdefault(other.translation_key, []).append(other)
    for obj in objects:
        obj._live_translations = [
            other
            for other in found.get(obj.translation_key, [])
            if other.pk != obj.pk and other.language != obj.language
        ]


class Publishable(models.Model):
    """
    What every kind of published content has: a language, a status and a
    publish date that make it live, a trash, shared preview links, and a
    history (revisions, autosaves, automatic redirects) kept by
    articles/publishing, the one way content changes.
    """

    Status = PublicationStatus

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=languages.choices,
        default=languages.default,
    )
    # The same text in other languages shares the key, one per language
    # (each kind's unique constraint, which also indexes it).
    translation_key = models.UUIDField(
        _("translation group"), default=uuid.uuid4, editable=False
    )
    # No index of their own: the listing indexes of each kind (Meta.indexes)
    # start with them in the order their pages read them.
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publish date"),
        default=timezone.now,
        help_text=_(
            "A date in the future schedules the article: it goes live by itself at that moment."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # What readers are told: moved by a change of what the text says, not
    # by a minor change (a typo, formatting) or a change of status.
    content_updated_at = models.DateTimeField(
        _("content updated"), null=True, blank=True, editable=False
    )
    change_note = models.CharField(
        _("public change note"),
        max_length=300,
        blank=True,
        help_text=_(
            "Shown with the updated date, e.g. “New advice on heat therapy from the 2026 guideline.”"
        ),
    )

    # Shared preview links name it: a new key ends every link shared before.
    preview_key = models.CharField(
        _("preview key"), max_length=32, default=new_preview_key, editable=False
    )
    # Trash: the status content had is kept, so that restoring brings it back.
    trashed_at = models.DateTimeField(
        _("moved to the trash"), null=True, blank=True, editable=False
    )
    status_before_trash = models.CharField(
        _("status before the trash"),
        max_length=16,
        choices=Status,
        blank=True,
        editable=False,
    )

    revisions = GenericRelation("Revision", related_query_name="%(class)s")
    review_comments = GenericRelation("ReviewComment", related_query_name="%(class)s")
    # Deleting content deletes its row of the search index with it.
    search_documents = GenericRelation("SearchDocument", related_query_name="%(class)s")
    autosaves = GenericRelation("Autosave", related_query_name="%(class)s")
    redirects = GenericRelation("Redirect", related_query_name="%(class)s")

    class Meta:
        abstract = True

    @property
    def public_updated_at(self):
        """When what the text says last changed, if that was after it went live."""
        moment = self.content_updated_at
        if moment is None or (moment - self.published_at).total_seconds() <= 60:
            return None
        return moment

    def settle_status(self):
        """Published or scheduled, as the publish date says; to the second, as forms show it."""
        # A save that changes nothing else then changes nothing.
        self.published_at = self.published_at.replace(microsecond=0)
        if self.status in self.Status.live():
            self.status = self.effective_status

    def is_live_at(self, moment):
        """The single-object form of PublishableQuerySet.live_at()."""
        return self.status in self.Status.live() and self.published_at <= moment

    @property
    def is_published(self):
        """The single-object form of PublishableQuerySet.published()."""
        return self.is_live_at(timezone.now())

    @property
    def effective_status(self):
        """The status readers see: published or scheduled follows the publish date."""
        if self.status in self.Status.live():
            return self.Status.PUBLISHED if self.is_published else self.Status.SCHEDULED
        return self.Status(self.status)

    def live_translations(self):
        """
        The texts of other languages that translate this one and that readers
        may see now, by language: prefetched by with_live_translations() or
        attach_live_translations(), else read in one query.
        """
        if not hasattr(self, "_live_translations"):
            attach_live_translations([self])
        return getattr(self, "_live_translations", [])

    def translation_group(self):
        """Every text of the group, this one included, in any status, by language."""
        return list(
            type(self)._default_manager.translations_of(self).order_by("language", "pk")
        )

    @property
    def revision_count(self):
        """How many saved versions there are (WordPress's version-history count)."""
        annotated = self.__dict__.get("revision_total")
        return self.revisions.count() if annotated is None else annotated


class ArticleQuerySet(PublishableQuerySet):
    def for_listing(self):
        # The category's parent too: a card shows the category as its
        # language sees it, parent included (Category.as_shown_in).
        return (
            self.select_related("primary_category__parent", "featured_image", "author")
            .prefetch_related("featured_image__renditions")
            .defer("body", "wordpress_extra")
        )

    def for_detail(self):
        return self.select_related(
            "primary_category__parent",
            "featured_image",
            "author",
            "author__photo",
            "reviewer",
        ).prefetch_related(
            "takeaways",
            "faq_items",
            "references",
            "tags",
            "body_images__renditions",
            "decorative_body_images",
            "featured_image__renditions",
            "author__photo__renditions",
            models.Prefetch("categories", queryset=Category.objects.order_by("name")),
        )

    def owned_by(self, user):
        return self.filter(author__user=user)


class Article(Publishable):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        allow_unicode=True,
        help_text=_(
            "The last part of the URL, e.g. “back-spasm-remedy”. Unique per language."
        ),
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
    )
    excerpt = inline_text_field(
        verbose_name=_("excerpt"),
        blank=True,
        help_text=_("A short summary for lists, feeds and search results."),
    )
    body = rich_text_field(verbose_name=_("body"), blank=True)
    featured_image = models.ForeignKey(
        Image,
        verbose_name=_("featured image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    featured_image_alt = models.CharField(
        _("featured image alt text"),
        max_length=500,
        blank=True,
        help_text=_(
            "What the picture shows in this article. Leave empty to use the library's alt text."
        ),
    )
    featured_image_decorative = models.BooleanField(
        _("featured image is decorative"),
        default=False,
        help_text=_("The picture adds nothing to the text here: it gets an empty alt."),
    )
    decorative_body_images = models.ManyToManyField(
        Image,
        verbose_name=_("decorative images in the text"),
        related_name="+",
        blank=True,
        help_text=_(
            "Images placed in the text that only decorate it here: they get an "
            "empty alt and need no description. The same image can be described "
            "in another article."
        ),
    )
    primary_category = models.ForeignKey(
        Category,
        verbose_name=_("primary category"),
        on_delete=models.PROTECT,
        related_name="primary_articles",
        help_text=_("Forms the URL and the breadcrumbs."),
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), related_name="articles", blank=True
    )
    tags = TaggableManager(verbose_name=_("tags"), through="TaggedArticle", blank=True)
    sticky = models.BooleanField(
        _("sticky"), default=False, help_text=_("Sticky articles lead the home page.")
    )
    body_images = models.ManyToManyField(
        Image, related_name="articles_in_body", blank=True, editable=False
    )
    table_of_contents = models.JSONField(default=list, blank=True, editable=False)

    # Medical review
    reviewer = models.ForeignKey(
        Author,
        verbose_name=_("medical reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_articles",
    )
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)

    # SEO
    seo_title = models.CharField(
        _("SEO title"),
        max_length=300,
        blank=True,
        help_text=_("Replaces the title in search results and tabs."),
    )
    meta_description = models.TextField(
        _("meta description"),
        blank=True,
        help_text=_(
            "About 150 characters shown under the title in search results. Defaults to the excerpt."
        ),
    )
    canonical_url = models.URLField(
        _("canonical URL"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Only when another page is the original, e.g. a syndicated copy. Defaults to this page."
        ),
    )
    focus_keyphrases = models.CharField(
        _("focus keyphrases"),
        max_length=500,
        blank=True,
        help_text=_(
            "Comma-separated, the first one leading, e.g. “back spasm remedy, back pain”."
        ),
    )
    robots_noindex = models.BooleanField(
        _("hide from search engines (noindex)"), default=False
    )
    robots_nofollow = models.BooleanField(
        _("do not follow links (nofollow)"), default=False
    )
    seo_score = models.PositiveSmallIntegerField(
        _("SEO score"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Out of 100, from the SEO analysis when the article was last saved."
        ),
    )

    # WordPress provenance: re-imports update these rows instead of adding new ones.
    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress id"), null=True, blank=True, unique=True
    )
    wordpress_guid = models.CharField(_("WordPress GUID"), max_length=500, blank=True)
    wordpress_link = models.URLField(_("WordPress link"), max_length=1000, blank=True)
    wordpress_extra = models.JSONField(
        _("other WordPress fields"),
        default=dict,
        blank=True,
        help_text=_(
            "Fields WordPress carries that the site does not use, kept as imported."
        ),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        get_latest_by = "published_at"
        permissions = [
            ("publish_article", _("Can publish and schedule articles")),
            ("edit_others_articles", _("Can edit other people's articles")),
            ("empty_trash", _("Can delete articles for good and empty the trash")),
            (
                "sign_off_article",
                _("Can sign off health articles as a medical reviewer"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="article_slug_unique_per_language"
            ),
            models.UniqueConstraint(
                fields=["translation_key", "language"],
                name="article_one_translation_per_language",
            ),
            models.CheckConstraint(
                condition=~models.Q(slug=""), name="article_slug_not_empty"
            ),
        ]
        # Each reader listing filters on published() and its own field and
        # orders by date: these serve both, so a page reads only the rows it
        # shows, however large the site. Status comes last on purpose: an
        # index that starts with it (as status's own index did) wins
        # SQLite's planner for every published() query, which then sorts
        # all published articles (tests/test_listing_indexes.py). They
        # replace the field indexes of status and published_at.
        indexes = [
            # The home page: sticky first, then the newest.
            models.Index(
                fields=["language", "sticky", "published_at", "status"],
                name="article_home_idx",
            ),
            # Feeds, the category and tag archives (probing their link
            # tables in date order), related articles, the home page's count.
            models.Index(
                fields=["language", "published_at", "status"],
                name="article_listing_idx",
            ),
            models.Index(
                fields=["author", "language", "published_at", "status"],
                name="article_author_idx",
            ),
            # A reviewer's page: what they reviewed, the latest review first.
            models.Index(
                fields=[
                    "reviewer",
                    "language",
                    "last_reviewed_on",
                    "published_at",
                    "status",
                ],
                name="article_reviewer_idx",
            ),
            # Every language at once: the API's lists, the sitemap, the next
            # scheduled article, and the admin's status filters. With the id,
            # which breaks ties in date order.
            models.Index(
                fields=["published_at", "id", "status"], name="article_date_idx"
            ),
            # The latest change: the sitemap index's lastmod, the API's
            # orderby=modified and modified_after.
            models.Index(fields=["updated_at", "status"], name="article_modified_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return languages.reverse_in(
            self.language,
            "articles:detail",
            kwargs={
                "category": self.primary_category.slug_in(self.language),
                "slug": self.slug,
            },
        )

    def prepare_for_save(self):
        """
        Give an article without a slug one, sanitize the rich text, build
        the table of contents and settle published against scheduled: what
        every save does before writing, the importer's bulk writes included.
        """
        if not self.slug:
            self.slug = slugs.unique_slug(
                slugs.slug_for(self.title, prefix="article", max_length=200),
                taken=lambda slug: (
                    Article.objects.filter(language=self.language, slug=slug)
                    .exclude(pk=self.pk)
                    .exists()
                ),
                max_length=200,
            )
        self.excerpt = sanitize_inline(self.excerpt)
        self.body, self.table_of_contents = richtext.prepare_body(
            sanitize_rich_text(self.body)
        )
        self.settle_status()

    def shown_image_ids(self, answers=None):
        """
        The library images the body and the FAQ answers show, in order;
        answers are read from the saved FAQ items unless given.
        """
        if answers is None:
            answers = self.faq_items.values_list("answer", flat=True) if self.pk else []
        return list(
            dict.fromkeys(
                richtext.image_ids(self.body)
                + [pk for answer in answers for pk in richtext.image_ids(answer)]
            )
        )

    @property
    def review_overdue(self):
        return (
            self.next_review_due is not None
            and self.next_review_due < timezone.localdate()
        )

    @property
    def focus_keyphrase_list(self):
        return [
            phrase.strip()
            for phrase in self.focus_keyphrases.split(",")
            if phrase.strip()
        ]

    @property
    def reading_minutes(self):
        """
        Minutes to read what the page shows: the body, key takeaways and
        FAQ, from the rows the page prefetches.
        """
        if self.pk is None:
            return richtext.reading_minutes(self.body)
        return richtext.reading_minutes(
            self.body,
            *(takeaway.text for takeaway in self.takeaways.all()),
            *(item.question for item in self.faq_items.all()),
            *(item.answer for item in self.faq_items.all()),
        )

    @property
    def featured_image_alt_text(self):
        if self.featured_image_id is None or self.featured_image_decorative:
            return ""
        return self.featured_image_alt or self.featured_image.alt_text

    @property
    def shown_category(self):
        """The primary category as readers of the article's language see it."""
        return self.primary_category.as_shown_in(self.language)


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(Article, on_delete=models.CASCADE)
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="tagged_articles"
    )

    class Meta:
        unique_together = [("content_object", "tag")]


class KeyTakeaway(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="takeaways"
    )
    text = inline_text_field(verbose_name=_("text"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("key takeaway")
        verbose_name_plural = _("key takeaways")

    def __str__(self):
        return richtext.plain_text(self.text)

    def save(self, *args, **kwargs):
        self.text = sanitize_inline(self.text)
        super().save(*args, **kwargs)


def faq_anchor(question, *, taken):
    """Return an anchor for a question, made from its words so that links to it survive edits."""
    base = "faq-" + (slugify(question)[:100].strip("-") or "question")
    anchor, counter = base, 2
    while anchor in taken:
        anchor, counter = f"{base}-{counter}", counter + 1
    return anchor


class FAQItem(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="faq_items"
    )
    question = models.CharField(_("question"), max_length=500)
    answer = rich_text_field(verbose_name=_("answer"))
    order = models.PositiveIntegerField(_("order"), default=0)
    anchor = models.SlugField(
        _("anchor"),
        max_length=120,
        blank=True,
        help_text=_(
            "The #fragment that links to this question. Made from the question when left empty."
        ),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("FAQ item")
        verbose_name_plural = _("FAQ items")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "anchor"], name="faq_anchor_unique_per_article"
            ),
        ]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.answer = sanitize_rich_text(self.answer)
        if not self.anchor:
            self.anchor = self.unique_anchor()
        super().save(*args, **kwargs)

    def unique_anchor(self):
        return faq_anchor(
            self.question,
            taken=set(
                FAQItem.objects.filter(article_id=self.article_id)
                .exclude(pk=self.pk)
                .values_list("anchor", flat=True)
            ),
        )


class Reference(models.Model):
    """A structured citation, so that it can be printed consistently and cited in JSON-LD."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="references"
    )
    title = models.CharField(
        _("title"),
        max_length=500,
        help_text=_("E.g. “Evidence-Based Medical Insight”."),
    )
    publisher = models.CharField(
        _("publisher or journal"),
        max_length=300,
        blank=True,
        help_text=_(
            "E.g. “National Center for Biotechnology Information” or “The Lancet”."
        ),
    )
    authors = models.CharField(
        _("authors"),
        max_length=500,
        blank=True,
        help_text=_("E.g. “Smith J, Jones K”."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1500), MaxValueValidator(2200)],
    )
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    doi = models.CharField(
        _("DOI"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 10.1016/S0140-6736(20)30183-5"),
    )
    pubmed_id = models.CharField(
        _("PubMed id"), max_length=20, blank=True, help_text=_("E.g. 25536022")
    )
    accessed_on = models.DateField(_("accessed"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self):
        return self.title

    def clean(self):
        if self.pubmed_id and not self.pubmed_id.isdigit():
            raise ValidationError(
                {"pubmed_id": _("A PubMed id is a number, e.g. 25536022.")}
            )
        if self.doi and not self.doi.startswith("10."):
            raise ValidationError(
                {"doi": _("A DOI starts with “10.”, e.g. 10.1000/182.")}
            )

    @property
    def link(self):
        if safe_url(self.url):
            return self.url
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pubmed_id:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pubmed_id}/"
        return ""


class PageQuerySet(PublishableQuerySet):
    def for_detail(self):
        return self.select_related("parent", "featured_image").prefetch_related(
            "body_images__renditions",
            "decorative_body_images",
            "featured_image__renditions",
        )


def slug_clash_message(other):
    """Why a slug that another category or top-level page answers at cannot be taken."""
    return _(
        "“%(slug)s” is taken: %(other)s answers at /<language>/%(slug)s/. "
        "Pages and categories share that address, so choose another slug."
    ) % {"slug": other.slug, "other": f"“{other}”"}


class Page(Publishable):
    """
    A page of the site that is not an article: About, Contact, Team, the
    editorial and medical review policies, Privacy. It lives at
    /<language>/<slug>/, under its parent's address when it has one
    (/en/about-us/team/), and shares the top level with the categories.
    """

    class Type(models.TextChoices):
        # schema.org types, for the page's JSON-LD.
        WEB_PAGE = "WebPage", _("Page")
        ABOUT = "AboutPage", _("About page")
        CONTACT = "ContactPage", _("Contact page")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        allow_unicode=True,
        help_text=_("The last part of the URL, e.g. “editorial-policy”."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent page"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("E.g. “About us” for a Team page at /en/about-us/team/."),
    )
    path = models.CharField(
        _("path"),
        max_length=1000,
        editable=False,
        help_text=_("The slugs from the top, e.g. “about-us/team”."),
    )
    page_type = models.CharField(
        _("kind of page"),
        max_length=16,
        choices=Type,
        default=Type.WEB_PAGE,
        help_text=_("Tells search engines what the page is about."),
    )
    excerpt = inline_text_field(
        verbose_name=_("excerpt"),
        blank=True,
        help_text=_("A short summary for search results and shared links."),
    )
    body = rich_text_field(verbose_name=_("body"), blank=True)
    featured_image = models.ForeignKey(
        Image,
        verbose_name=_("featured image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    featured_image_alt = models.CharField(
        _("featured image alt text"),
        max_length=500,
        blank=True,
        help_text=_(
            "What the picture shows on this page. Leave empty to use the library's alt text."
        ),
    )
    featured_image_decorative = models.BooleanField(
        _("featured image is decorative"), default=False
    )
    decorative_body_images = models.ManyToManyField(
        Image,
        verbose_name=_("decorative images in the text"),
        related_name="+",
        blank=True,
    )
    body_images = models.ManyToManyField(
        Image, related_name="pages_in_body", blank=True, editable=False
    )
    table_of_contents = models.JSONField(default=list, blank=True, editable=False)
    menu_order = models.IntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first among siblings.")
    )

    # SEO
    seo_title = models.CharField(_("SEO title"), max_length=300, blank=True)
    meta_description = models.TextField(_("meta description"), blank=True)
    canonical_url = models.URLField(_("canonical URL"), max_length=1000, blank=True)
    robots_noindex = models.BooleanField(
        _("hide from search engines (noindex)"), default=False
    )
    robots_nofollow = models.BooleanField(
        _("do not follow links (nofollow)"), default=False
    )

    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress id"), null=True, blank=True, unique=True
    )
    wordpress_link = models.URLField(_("WordPress link"), max_length=1000, blank=True)
    # What the page was imported from, so that importing it again leaves an
    # unchanged page alone (importers/wordpress/load/pages.py).
    wordpress_import_hash = models.CharField(
        _("WordPress import hash"), max_length=64, blank=True, editable=False
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        permissions = [("publish_page", _("Can publish and schedule pages"))]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "path"], name="page_path_unique_per_language"
            ),
            models.UniqueConstraint(
                fields=["translation_key", "language"],
                name="page_one_translation_per_language",
            ),
            models.CheckConstraint(
                condition=~models.Q(slug=""), name="page_slug_not_empty"
            ),
        ]
        indexes = [
            models.Index(fields=["language", "path", "status"], name="page_lookup_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"/{self.language}/{self.path}/"

    def prepare_for_save(self):
        """
        Give a page without a slug one (free among its siblings, and at the
        top clear of the categories and the reserved words), sanitize, build
        the table of contents, settle the status and the path.
        """
        if not self.slug:
            self.slug = slugs.unique_slug(
                slugs.slug_for(self.title, prefix="page", max_length=200),
                taken=self._slug_taken,
                max_length=200,
            )
        self.excerpt = sanitize_inline(self.excerpt)
        self.body, self.table_of_contents = richtext.prepare_body(
            sanitize_rich_text(self.body)
        )
        self.settle_status()
        self.path = self.path_under(self.parent)

    def _slug_taken(self, slug):
        siblings = Page.objects.filter(
            language=self.language, parent_id=self.parent_id, slug=slug
        ).exclude(pk=self.pk)
        if self.parent_id is not None:
            return siblings.exists()
        return (
            slug in RESERVED_SLUGS
            or siblings.exists()
            or Category.objects.filter(
                Category.slug_lookup(slug, self.language)
            ).exists()
        )

    def path_under(self, parent):
        return f"{parent.path}/{self.slug}" if parent is not None else self.slug

    def clean(self):
        ancestor = self.parent if self.parent_id is not None else None
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A page cannot be its own ancestor.")}
                )
            ancestor = ancestor.parent
        if self.parent_id is not None and self.parent.language != self.language:
            raise ValidationError(
                {"parent": _("The parent page must be in the same language.")}
            )
        if self.parent_id is None and self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("“%s” is reserved for the site's own pages.") % self.slug}
            )
        clash = (
            Page.objects.filter(
                parent_id=self.parent_id, slug=self.slug, language=self.language
            )
            .exclude(pk=self.pk)
            .first()
        )
        if clash is None and self.parent_id is None:
            clash = Category.objects.filter(
                Category.slug_lookup(self.slug, self.language)
            ).first()
        if clash is not None:
            raise ValidationError({"slug": slug_clash_message(clash)})

    def shown_image_ids(self):
        return richtext.image_ids(self.body)

    def ancestors(self):
        """The parent pages from the top, read one by one (pages are few and shallow)."""
        chain, ancestor = [], self.parent
        while ancestor is not None:
            chain.insert(0, ancestor)
            ancestor = ancestor.parent
        return chain

    @property
    def featured_image_alt_text(self):
        if self.featured_image_id is None or self.featured_image_decorative:
            return ""
        return self.featured_image_alt or self.featured_image.alt_text


class SiteSettings(models.Model):
    """
    Who the site is, as editors and administrators set it: its name,
    logo, the organization behind it (for the JSON-LD), its social
    profiles and the footer's disclaimer. One row per site; until it is
    saved, the environment's SITE_NAME and SEO_LOGO_URL stand in.
    """

    class OrganizationType(models.TextChoices):
        # schema.org types: MedicalOrganization and its kinds.
        ORGANIZATION = "Organization", _("Organization")
        MEDICAL_ORGANIZATION = "MedicalOrganization", _("Medical organization")
        MEDICAL_CLINIC = "MedicalClinic", _("Medical clinic")
        HOSPITAL = "Hospital", _("Hospital")

    site_id = models.PositiveIntegerField(unique=True, editable=False)
    name = models.CharField(_("site name"), max_length=200)
    tagline = models.CharField(
        _("tagline"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “Evidence-based health information from our clinicians”."),
    )
    logo = models.ForeignKey(
        Image,
        verbose_name=_("logo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    share_image = models.ForeignKey(
        Image,
        verbose_name=_("default share image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Shown when a page without its own image is shared."),
    )
    organization_type = models.CharField(
        _("kind of organization"),
        max_length=32,
        choices=OrganizationType,
        default=OrganizationType.MEDICAL_ORGANIZATION,
    )
    legal_name = models.CharField(_("legal name"), max_length=300, blank=True)
    street_address = models.CharField(_("street address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    locality = models.CharField(_("city"), max_length=200, blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("The two-letter code, e.g. “NL”."),
    )
    telephone = models.CharField(_("telephone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    medical_specialty = models.CharField(
        _("medical specialty"),
        max_length=200,
        blank=True,
        help_text=_(
            "schema.org's name for it, e.g. “Physiotherapy” or “Dermatology”; "
            "several separated by commas."
        ),
    )
    social_profiles = models.TextField(
        _("social profiles"),
        blank=True,
        help_text=_(
            "One address per line, e.g. https://www.linkedin.com/company/example: "
            "search engines connect the site to them."
        ),
    )
    footer_disclaimer = models.TextField(
        _("footer disclaimer"),
        blank=True,
        help_text=_(
            "E.g. “The information on this site does not replace the advice of your doctor.”"
        ),
    )

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return self.name

    @property
    def profile_urls(self):
        return [
            line.strip()
            for line in self.social_profiles.splitlines()
            if safe_url(line.strip())
        ]

    @property
    def specialties(self):
        return [
            part.strip() for part in self.medical_specialty.split(",") if part.strip()
        ]


class Menu(models.Model):
    """
    A menu of the site, per language: the header's (one, with one level of
    sub-items) or one of the footer's columns.
    """

    class Location(models.TextChoices):
        HEADER = "header", _("Header")
        FOOTER = "footer", _("Footer")

    title = models.CharField(
        _("title"), max_length=100, help_text=_("Shown above a footer column.")
    )
    location = models.CharField(_("location"), max_length=16, choices=Location)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=languages.choices,
        default=languages.default,
    )
    order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Footer columns, from left to right.")
    )
    # The nav_menu term a WordPress import made the menu from: importing
    # again replaces its items rather than adding a second menu.
    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress id"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["language", "location", "order", "pk"]
        verbose_name = _("menu")
        verbose_name_plural = _("menus")
        constraints = [
            models.UniqueConstraint(
                fields=["language"],
                condition=models.Q(location="header"),
                name="menu_one_header_per_language",
                violation_error_message=_("This language has a header menu already."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.get_location_display()}, {self.language})"


def _exactly_one_link():
    """A menu item's check: one of page, category, article and url is set."""
    set_ = {
        "page": models.Q(page__isnull=False),
        "category": models.Q(category__isnull=False),
        "article": models.Q(article__isnull=False),
        "url": ~models.Q(url=""),
    }
    unset = {
        "page": models.Q(page__isnull=True),
        "category": models.Q(category__isnull=True),
        "article": models.Q(article__isnull=True),
        "url": models.Q(url=""),
    }
    alternatives = []
    for chosen, is_set in set_.items():
        only = is_set
        for other, is_unset in unset.items():
            if other != chosen:
                only &= is_unset
        alternatives.append(only)
    first, *others = alternatives
    for alternative in others:
        first |= alternative
    return first


class MenuItem(models.Model):
    """
    A link of a menu: to a page, a category, an article or another site.
    An item "under the item above" is a sub-item of the header menu.
    """

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="items")
    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty to use the title of what it links to."),
    )
    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, null=True, blank=True
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    url = models.URLField(
        _("other address"),
        max_length=500,
        blank=True,
        help_text=_("E.g. https://www.example.org/appointments."),
    )
    nested = models.BooleanField(
        _("under the item above"),
        default=False,
        help_text=_("In the header menu: a sub-item of the nearest item above."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_link(),
                name="menu_item_links_to_one_thing",
            )
        ]

    def __str__(self):
        return self.label or str(self.page or self.category or self.article or self.url)

    def clean(self):
        targets = [self.page_id, self.category_id, self.article_id, self.url or None]
        if sum(target is not None for target in targets) != 1:
            raise ValidationError(
                _(
                    "Link the item to one thing: a page, a category, an article or an address."
                )
            )


class Revision(models.Model):
    """
    A complete copy of a piece of content as it was saved: an article with
    its FAQ, references, takeaways, tags and categories (see
    articles/revisions.py). Written by articles/publishing alone.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("saved"), default=timezone.now, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    snapshot = models.JSONField(_("snapshot"))
    summary = models.CharField(
        _("what changed"),
        max_length=500,
        blank=True,
        help_text=_("E.g. “Title, body, FAQ”."),
    )
    substantive = models.BooleanField(
        _("changed what the text says"),
        default=False,
        help_text=_(
            "False for a minor change (typos, formatting) and for changes of "
            "status or settings: a medical sign-off outlives those."
        ),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-id"],
                name="revision_latest_per_object",
            )
        ]

    def __str__(self):
        return f"{self.object_id}: {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def author_name(self):
        if self.author is None:
            return str(_("the system"))
        return self.author.get_full_name() or self.author.get_username()


class SignOff(models.Model):
    """
    A medical reviewer's check of an article: asked for by its writer or an
    editor, decided by the reviewer. An approval covers the version it was
    given for and the minor changes after it.
    """

    class Decision(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the reviewer")
        APPROVED = "approved", _("Signed off")
        SENT_BACK = "sent_back", _("Sent back")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="sign_offs"
    )
    reviewer = models.ForeignKey(
        Author,
        verbose_name=_("medical reviewer"),
        on_delete=models.PROTECT,
        related_name="sign_offs",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    note = models.TextField(
        _("note for the reviewer"),
        blank=True,
        help_text=_("E.g. “New section on heat therapy, please check the dosage.”"),
    )
    decision = models.CharField(
        _("decision"),
        max_length=16,
        choices=Decision,
        default=Decision.REQUESTED,
        db_index=True,
    )
    revision = models.ForeignKey(
        "Revision",
        verbose_name=_("version decided on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("medical sign-off")
        verbose_name_plural = _("medical sign-offs")

    def __str__(self):
        return f"{self.article}: {self.get_decision_display()} ({self.reviewer})"


class Redirect(models.Model):
    """
    An old path that answers with a redirect or "410 Gone", so that no
    visitor who follows an old link is lost.
    """

    class Kind(models.IntegerChoices):
        PERMANENT = 301, _("301 Moved permanently")
        TEMPORARY = 302, _("302 Found (temporary)")
        GONE = 410, _("410 Gone")

    old_path = models.CharField(
        _("old path"),
        max_length=1000,
        unique=True,
        help_text=_(
            "Site-relative, e.g. /en/beauty/old-slug/ or, as a prefix rule, /blog/."
        ),
    )
    new_path = models.CharField(
        _("new path or URL"),
        max_length=1000,
        blank=True,
        help_text=_(
            "E.g. /en/beauty/back-spasm-remedy/ or https://example.org/. Empty for 410 Gone."
        ),
    )
    status_code = models.PositiveSmallIntegerField(
        _("kind"), choices=Kind, default=Kind.PERMANENT
    )
    is_prefix = models.BooleanField(
        _("prefix rule"),
        default=False,
        help_text=_(
            "Also redirect every path under the old path, keeping the rest of the path."
        ),
    )
    # Set for redirects made automatically when the URL of an article (or
    # other content) changed, so that they follow it when it moves again.
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    target = GenericForeignKey("content_type", "object_id")
    hits = models.PositiveIntegerField(_("hits"), default=0, editable=False)
    last_hit_at = models.DateTimeField(
        _("last hit"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        indexes = [
            models.Index(
                fields=["content_type", "object_id"], name="redirect_per_target"
            )
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path or self.get_status_code_display()}"

    def clean(self):
        if not self.old_path.startswith("/"):
            raise ValidationError(
                {"old_path": _("Start the old path with /, e.g. /en/old-slug/.")}
            )
        if self.status_code != self.Kind.GONE and not self.new_path:
            raise ValidationError(
                {"new_path": _("Say where visitors should go, or choose 410 Gone.")}
            )
        if self.new_path and self.new_path == self.old_path:
            raise ValidationError({"new_path": _("A path cannot redirect to itself.")})


class NotFound(models.Model):
    """
    One row per missing path that visitors asked for, with a hit counter, so
    that editors can see which broken inbound links matter and redirect them.
    """

    path = models.CharField(_("path"), max_length=1000, unique=True)
    hits = models.PositiveIntegerField(_("hits"), default=1)
    referrer = models.CharField(
        _("last referrer"), max_length=1000, blank=True, editable=False
    )
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        ordering = ["-hits"]
        verbose_name = _("404 log entry")
        verbose_name_plural = _("404 log")

    def __str__(self):
        return self.path


class PendingArticle(Article):
    """The editors' review queue in the admin: articles waiting for a decision."""

    class Meta:
        proxy = True
        verbose_name = _("article pending review")
        verbose_name_plural = _("articles pending review")


class ReviewComment(models.Model):
    """An editor's note to the author, e.g. why an article went back to draft."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(
        _("comment"), help_text=_("E.g. “Add a source for the dosage in step 3.”")
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self):
        return self.text[:80]


class AuditEntry(models.Model):
    """
    One thing that changed what readers see or who may do what. Rows are
    written by articles/audit.py, on behalf of articles/publishing for
    content, and never edited, so they keep the names they had at the time.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        DELETE = "delete", _("Deleted")
        IMPORT = "import", _("Imported")
        REVERT = "revert", _("Restored a revision")
        PUBLISH = "publish", _("Published")
        SCHEDULE = "schedule", _("Scheduled")
        UNPUBLISH = "unpublish", _("Unpublished")
        TRASH = "trash", _("Moved to the trash")
        RESTORE = "restore", _("Restored from the trash")
        SUBMIT = "submit", _("Submitted for review")
        SEND_BACK = "send_back", _("Sent back to draft")
        REVOKE_LINKS = "revoke_links", _("Preview links revoked")
        SIGN_OFF_REQUEST = "sign_off_request", _("Sign-off asked for")
        SIGN_OFF = "sign_off", _("Signed off")
        SIGN_OFF_SEND_BACK = "sign_off_send_back", _("Sent back by the reviewer")
        ROLE_CHANGE = "role_change", _("Roles changed")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_repr = models.CharField(_("who (name)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action, db_index=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    details = models.JSONField(
        _("details"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return (
            f"{self.user_repr or '—'}: {self.get_action_display()} {self.object_repr}"
        )


class SentMail(models.Model):
    """
    An e-mail a background task sent, under what it was about (e.g.
    "audit:42", the change it tells of): a task that runs twice finds the
    row and sends nothing the second time (articles/tasks.py).
    """

    key = models.CharField(
        _("about"), max_length=100, unique=True, help_text=_("E.g. “audit:42”.")
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self):
        return self.key


class Autosave(models.Model):
    """
    What a person last had in a content form, saved every few seconds
    while they type, so that a crash or a closed tab loses nothing. One per
    person and article; a successful save clears it.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    form_data = models.JSONField(
        help_text=_("The posted form, as field name → list of values.")
    )
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("autosave")
        verbose_name_plural = _("autosaves")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"],
                name="autosave_one_per_user_and_object",
            ),
        ]

    def __str__(self):
        return f"{self.content_object} ({self.user}, {self.saved_at:%Y-%m-%d %H:%M})"


class SearchDocument(models.Model):
    """
    The text of one piece of content as the reader search indexes it (see
    articles/search/): one row per object of every searchable kind, drafts
    included, so that the admin finds them too; readers' searches keep
    only what the kind's published() returns.

    The texts are plain (no markup) and grouped by weight: the title first,
    then the summary and keywords, the questions, the body. On PostgreSQL
    the two vectors are filled from them and indexed (GIN); on SQLite an
    FTS5 table made by a migration indexes the texts and both stay empty.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("language"), max_length=8)
    recency = models.DateTimeField(
        _("date"),
        null=True,
        help_text=_(
            "The content's date, e.g. its publish date: the newer of two equally "
            "relevant results comes first. Never a visibility rule."
        ),
    )
    title = models.TextField(_("title"), blank=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("E.g. the excerpt and key takeaways.")
    )
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("E.g. the tags and categories.")
    )
    questions = models.TextField(
        _("questions"), blank=True, help_text=_("E.g. the FAQ, questions and answers.")
    )
    body = models.TextField(_("body"), blank=True)
    # PostgreSQL only: every text, weighted A to D, and the title, summary
    # and keywords alone (weights A and B), which pick the candidates that
    # the first is ranked on (articles/search/backends/postgresql.py).
    vector = SearchVectorField(null=True, editable=False)
    prominent_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                name="search_document_one_per_object",
            )
        ]

    def __str__(self):
        return self.title


class SearchTerm(models.Model):
    """
    A word readers can find, per language: the "did you mean" suggestions
    are chosen among these. Words come from published content only, so
    that a suggestion never reveals a draft.
    """

    language = models.CharField(_("language"), max_length=8)
    word = models.CharField(_("word"), max_length=40)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "word"], name="search_term_unique_per_language"
            )
        ]

    def __str__(self):
        return self.word
