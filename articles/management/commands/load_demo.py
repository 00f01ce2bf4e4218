"""
Load the demo site: the seed WordPress post, pictures for its images drawn
locally (so the page is complete offline), and one login per role.
"""

import io
import random
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFilter

from articles.importers.wordpress.load import import_post
from articles.importers.wordpress.sources import read_posts
from articles.models import Image
from articles.renditions import make_renditions
from articles.roles import ADMINISTRATOR, AUTHOR, EDITOR, profile_for

SEED_POST = Path(settings.BASE_DIR) / "demo" / "back-spasm-remedy.json"
DEMO_USERS = [
    ("admin", ADMINISTRATOR, "Ada", "Admin"),
    ("editor", EDITOR, "Eva", "Editor"),
    ("author", AUTHOR, "Arne", "Author"),
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
        made = sum(make_renditions(image) for image in Image.objects.exclude(file=""))
        if made:
            self.stdout.write(f"Made {made} renditions (AVIF, WebP and JPEG).")
        self.print_logins(self.create_users())

    def draw_missing_pictures(self):
        drawn = 0
        for image in Image.objects.filter(file="").exclude(source_url=""):
            width, height = image.width or 1200, image.height or 800
            name = Path(image.source_url).stem + ".webp"
            with transaction.atomic():
                image.file.save(
                    name,
                    ContentFile(
                        illustration(width=width, height=height, seed=image.pk)
                    ),
                    save=False,
                )
                image.save()
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
            profile_for(user)
            logins.append((role, username, password))
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
