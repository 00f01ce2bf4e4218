from django.shortcuts import get_object_or_404, render

from bench.yardstick.models import Page


def page(request):
    """One query and a template: what every Django page costs at least."""
    return render(
        request, "yardstick/page.html", {"page": get_object_or_404(Page, pk=1)}
    )
