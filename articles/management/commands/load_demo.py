"""
Load the demo site: the seed WordPress post, pictures for its images drawn
locally (so the page is complete offline), the site around it (settings
with a drawn logo, the people who write and review, the About, Contact and
policy pages, the menus; demo/site.json), and one login per role. Running
it again updates what it made. Every change goes through the publishing
service, as an editor's would.
"""

import io
import json
import random
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFilter

from articles import publishing, sign_offs
from articles.importers.wordpress.load import import_post
from articles.importers.wordpress.sources import read_posts
from articles.models import (
    Article,
    Author,
    Category,
    Image,
    Menu,
    MenuItem,
    Page,
    SiteSettings,
)
from articles.renditions import make_renditions
from articles.roles import (
    ADMINISTRATOR,
    AUTHOR,
    EDITOR,
    MEDICAL_REVIEWER,
    profile_for,
)
from articles.site_settings import from_environment

SEED_POST = Path(settings.BASE_DIR) / "demo" / "back-spasm-remedy.json"
SITE = Path(settings.BASE_DIR) / "demo" / "site.json"
GOLD, WHITE = (191, 144, 0), (255, 255, 255)
DEMO_USERS = [
    ("admin", ADMINISTRATOR, "Ada", "Admin"),
    ("editor", EDITOR, "Eva", "Editor"),
    ("author", AUTHOR, "Arne", "Author"),
    # Signs in as the demo's medical reviewer (demo/site.json's "login").
    ("reviewer", MEDICAL_REVIEWER, "Pieter", "de Groot"),
]
PALETTES = [
    ((214, 234, 248), (46, 134, 193)),
    ((232, 246, 239), (39, 174, 96)),
    ((253, 237, 236), (203, 67, 53)),
    ((244, 236, 247), (125, 60, 152)),
]


def illustration(*, width, height, seed):
    """Draw a calm abstract picture: a gradient with soft shapes, as WebP bytes."""
    rng = random.Random(seed)
    light, dark = PALETTES[seed % len(PALETTES)]
    picture = PillowImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / max(1, height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(
                round(a + (b - a) * t * 0.6) for a, b in zip(light, dark, strict=True)
            ),
        )
    shapes = PillowImage.new("RGBA", (width, height), (0, 0, 0, 0))
    shape_draw = ImageDraw.Draw(shapes)
    for _ in range(7):
        radius = rng.randint(height // 8, height // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        shape_draw.ellipse(
            [x - radius, y - radius, x + radius, y + radius],
            fill=(*dark, rng.randint(40, 90)),
        )
    shapes = shapes.filter(ImageFilter.GaussianBlur(radius=height // 40))
    picture.paste(shapes, (0, 0), shapes)
    buffer = io.BytesIO()
    picture.save(buffer, format="WEBP", quality=80, method=6)
    return buffer.getvalue()


def logo(size=512):
    """Draw the demo logo, a white cross on a gold disc, as PNG bytes."""
    mark = PillowImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(mark)
    draw.ellipse([0, 0, size - 1, size - 1], fill=GOLD)
    arm, length = size // 6, size * 2 // 3
    start = (size - length) // 2
    draw.rectangle([start, (size - arm) // 2, start + length, (size + arm) // 2], WHITE)
    draw.rectangle([(size - arm) // 2, start, (size + arm) // 2, start + length], WHITE)
    buffer = io.BytesIO()
    mark.save(buffer, format="PNG")
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Load the demo content (the seed post with local pictures) and print one login per role."

    def handle(self, *args, **options):
        outcomes = []
        for item in read_posts([SEED_POST]):
            if item.error:
                raise CommandError(f"{item.source}: {item.error}")
            outcomes.append(import_post(item.post))
        for outcome in outcomes:
            self.stdout.write(f"Demo article: {outcome.action} {outcome.title}")
        drawn = self.draw_missing_pictures()
        call_command("seo_scores", stdout=self.stdout)
        if drawn:
            self.stdout.write(f"Drew {drawn} local pictures for the demo images.")
        site = json.loads(SITE.read_text())
        logins = self.create_users()
        self.build_settings(site["settings"])
        self.build_people(
            site["people"], logins={user.username: user for user, _ in logins}
        )
        pages = self.build_pages(site["pages"])
        self.build_menus(site["menus"], pages=pages)
        made = sum(make_renditions(image) for image in Image.objects.exclude(file=""))
        if made:
            self.stdout.write(f"Made {made} renditions (AVIF, WebP and JPEG).")
        self.stdout.write(
            f"Demo site: {len(pages)} pages, {len(site['menus'])} menus, the site settings."
        )
        self.print_logins(
            [(role, user.username, password) for user, (role, password) in logins]
        )

    def build_settings(self, fields):
        identity = (
            SiteSettings.objects.filter(site_id=settings.SITE_ID).first()
            or from_environment()
        )
        for name, value in fields.items():
            setattr(identity, name, value)
        if identity.logo_id is None:
            mark = Image(
                title="Gold City Medical Center logo", alt_text="", decorative=True
            )
            mark.file.save("gold-city-logo.png", ContentFile(logo()), save=False)
            mark.width = mark.height = 512
            publishing.save_object(mark, user=None)
            identity.logo = mark
        publishing.save_object(identity, user=None)

    def build_people(self, people, *, logins):
        editor = logins["editor"]
        for fields in people:
            fields = dict(fields)
            reviews = fields.pop("reviews", [])
            login = logins.get(fields.pop("login", None))
            wordpress_id = fields.pop("wordpress_id", None)
            person = (
                Author.objects.filter(wordpress_id=wordpress_id).first()
                if wordpress_id
                else Author.objects.filter(slug=fields["slug"]).first()
            ) or Author(wordpress_id=wordpress_id)
            for name, value in fields.items():
                setattr(person, name, value)
            if login is not None:
                Author.objects.filter(user=login).exclude(pk=person.pk).delete()
                person.user = login
            publishing.save_object(person, user=None)
            for article in Article.objects.filter(slug__in=reviews):
                if sign_offs.covers(article, substantive=False):
                    continue
                # As on a real site: the editor asks, the reviewer signs off.
                request = publishing.request_sign_off(
                    article, user=editor, reviewer=person
                )
                publishing.decide_sign_off(request, user=login, approve=True)

    def build_pages(self, pages):
        """Create or update the demo pages, parents first; return them by path."""
        made = {}
        for fields in pages:
            fields = dict(fields)
            parent = made.get(fields.pop("parent", None))
            path = f"{parent.path}/{fields['slug']}" if parent else fields["slug"]
            page = Page.objects.filter(language="en", path=path).first() or Page()
            for name, value in fields.items():
                setattr(page, name, value)
            page.parent, page.language, page.status = (
                parent,
                "en",
                Page.Status.PUBLISHED,
            )
            made[path] = publishing.save(page, user=None).obj
        return made

    def build_menus(self, menus, *, pages):
        """Replace the demo menus' items with the file's."""
        for order, fields in enumerate(menus):
            menu = Menu.objects.filter(
                language="en", location=fields["location"], title=fields["title"]
            ).first() or Menu(language="en", location=fields["location"])
            menu.title, menu.order = fields["title"], order

            def write_items(menu=menu, items=fields["items"]):
                menu.save()
                menu.items.all().delete()
                MenuItem.objects.bulk_create(
                    MenuItem(
                        menu=menu,
                        order=position,
                        label=item.get("label", ""),
                        nested=item.get("nested", False),
                        page=pages.get(item.get("page")),
                        category=Category.objects.filter(
                            slug=item.get("category")
                        ).first()
                        if "category" in item
                        else None,
                    )
                    for position, item in enumerate(items, start=1)
                )

            publishing.save_object(menu, user=None, write=write_items)

    def draw_missing_pictures(self):
        drawn = 0
        for image in Image.objects.filter(file="").exclude(source_url=""):
            width, height = image.width or 1200, image.height or 800
            name = Path(image.source_url).stem + ".webp"
            image.file.save(
                name,
                ContentFile(illustration(width=width, height=height, seed=image.pk)),
                save=False,
            )
            publishing.save_object(image, user=None)
            drawn += 1
        return drawn

    def create_users(self):
        logins = []
        for username, role, first_name, last_name in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.first_name, user.last_name = first_name, last_name
            user.email = f"{username}@example.org"
            user.is_staff = True
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            if role != MEDICAL_REVIEWER:
                profile_for(user)
            logins.append((user, (role, password)))
        return logins

    def print_logins(self, logins):
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo logins for http://127.0.0.1:8000/admin/ (new passwords on every run):"
            )
        )
        for role, username, password in logins:
            self.stdout.write(f"  {role:<14} {username:<8} / {password}")
        self.stdout.write("")
