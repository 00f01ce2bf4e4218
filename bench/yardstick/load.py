"""Create the yardstick's database with one row: the HTML read from standard input."""

import sys

import django
from django.core.management import call_command


def main() -> None:
    django.setup()
    from bench.yardstick.models import Page

    call_command("migrate", run_syncdb=True, verbosity=0)
    Page.objects.update_or_create(pk=1, defaults={"html": sys.stdin.read()})


if __name__ == "__main__":
    main()
