import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from articles import imaging, richtext
from articles.sanitize import safe_url, sanitize_inline, sanitize_rich_text

# Slugs that would collide with the fixed parts of /<lang>/... URLs.
RESERVED_CATEGORY_SLUGS = {"tag", "author", "search", "feed", "page"}

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
}
INLINE_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "History": True,
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


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    DUTCH = "nl", "Nederlands"


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
    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress id"), null=True, blank=True, unique=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self, language=settings.LANGUAGE_CODE):
        return reverse(
            "articles:category", kwargs={"language": language, "slug": self.slug}
        )

    def clean(self):
        if self.slug in RESERVED_CATEGORY_SLUGS:
            raise ValidationError(
                {"slug": _("“%s” is reserved for the site's own pages.") % self.slug}
            )
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError(
                    {"parent": _("A category cannot be its own ancestor.")}
                )
            ancestor = ancestor.parent


class Tag(TagBase):
    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress id"), null=True, blank=True, unique=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def get_absolute_url(self, language=settings.LANGUAGE_CODE):
        return reverse("articles:tag", kwargs={"language": language, "slug": self.slug})


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

    def __str__(self):
        return (
            f"{self.display_name}, {self.credentials}"
            if self.credentials
            else self.display_name
        )

    def save(self, *args, **kwargs):
        self.bio = sanitize_inline(self.bio)
        super().save(*args, **kwargs)

    def get_absolute_url(self, language=settings.LANGUAGE_CODE):
        return reverse(
            "articles:author", kwargs={"language": language, "slug": self.slug}
        )


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


class ArticleQuerySet(models.QuerySet):
    def live_at(self, moment):
        """Return the articles a reader may see at `moment`."""
        return self.filter(
            status__in=PublicationStatus.live(), published_at__lte=moment
        )

    def published(self):
        """
        Return the articles a reader may see right now.

        A scheduled article needs no job to go live: it becomes visible the
        moment its publish date passes. Private and trashed articles never are.
        """
        return self.live_at(timezone.now())

    def scheduled_after(self, moment):
        """Return the live articles whose publish date is still to come after `moment`."""
        return self.filter(status__in=PublicationStatus.live(), published_at__gt=moment)

    def for_listing(self):
        return (
            self.select_related("primary_category", "featured_image", "author")
            .prefetch_related("featured_image__renditions")
            .defer("body", "wordpress_extra")
        )

    def for_detail(self):
        return self.select_related(
            "primary_category", "featured_image", "author", "author__photo", "reviewer"
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


class Article(models.Model):
    Status = PublicationStatus

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        allow_unicode=True,
        help_text=_(
            "The last part of the URL, e.g. “back-spasm-remedy”. Unique per language."
        ),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language, default=Language.ENGLISH
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("publish date"),
        default=timezone.now,
        db_index=True,
        help_text=_(
            "A date in the future schedules the article: it goes live by itself at that moment."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

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

    # Shared preview links name it: a new key ends every link shared before.
    preview_key = models.CharField(
        _("preview key"), max_length=32, default=new_preview_key, editable=False
    )

    # Trash: the status an article had is kept, so that restoring brings it back.
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

    revisions = GenericRelation("Revision", related_query_name="article")
    autosaves = GenericRelation("Autosave", related_query_name="article")
    redirects = GenericRelation("Redirect", related_query_name="article")
    # Deleting an article deletes its row of the search index with it.
    search_documents = GenericRelation("SearchDocument", related_query_name="article")

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
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="article_slug_unique_per_language"
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "published_at"], name="article_visibility_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "articles:detail",
            kwargs={
                "language": self.language,
                "category": self.primary_category.slug,
                "slug": self.slug,
            },
        )

    def prepare_for_save(self):
        """
        Sanitize the rich text, build the table of contents and settle
        published against scheduled: what every save does before writing,
        the importer's bulk writes included.
        """
        self.excerpt = sanitize_inline(self.excerpt)
        # To the second, as the admin's form shows and sends it back: a save
        # that changes nothing else then changes nothing.
        self.published_at = self.published_at.replace(microsecond=0)
        self.body, self.table_of_contents = richtext.prepare_body(
            sanitize_rich_text(self.body)
        )
        if self.status in self.Status.live():
            self.status = self.effective_status

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

    def is_live_at(self, moment):
        """The single-object form of ArticleQuerySet.live_at()."""
        return self.status in self.Status.live() and self.published_at <= moment

    @property
    def is_published(self):
        """The single-object form of ArticleQuerySet.published()."""
        return self.is_live_at(timezone.now())

    @property
    def revision_count(self):
        """How many saved versions the article has (WordPress's version-history count)."""
        annotated = self.__dict__.get("revision_total")
        return self.revisions.count() if annotated is None else annotated

    @property
    def effective_status(self):
        """The status readers see: published or scheduled follows the publish date."""
        if self.status in self.Status.live():
            return self.Status.PUBLISHED if self.is_published else self.Status.SCHEDULED
        return self.Status(self.status)

    @property
    def was_updated(self):
        return (self.updated_at - self.published_at).total_seconds() > 60

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
        return richtext.reading_minutes(self.body)

    @property
    def featured_image_alt_text(self):
        if self.featured_image_id is None or self.featured_image_decorative:
            return ""
        return self.featured_image_alt or self.featured_image.alt_text


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
        base = "faq-" + (slugify(self.question)[:100].strip("-") or "question")
        siblings = set(
            FAQItem.objects.filter(article_id=self.article_id)
            .exclude(pk=self.pk)
            .values_list("anchor", flat=True)
        )
        anchor, counter = base, 2
        while anchor in siblings:
            anchor, counter = f"{base}-{counter}", counter + 1
        return anchor


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

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="review_comments"
    )
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
