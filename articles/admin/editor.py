"""
What the body editor asks the server while someone writes: the markup of a
video from its address (static/articles/editor/video.js), made by the code
the WordPress importer uses.
"""

from django.http import JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from articles import video_embeds

# Longer is no title but a paragraph.
TITLE_MAX_LENGTH = 200


@require_GET
def video_markup_view(request):
    """The stored markup of the video at ?url=, with its title and caption."""
    video = video_embeds.video_from_url(request.GET.get("url", ""))
    if video is None:
        message = _(
            "Only YouTube and Vimeo videos can be placed in the text. Paste the "
            "address of the video’s page, e.g. https://www.youtube.com/watch?v=… "
            "or https://vimeo.com/…"
        )
        return JsonResponse({"error": message}, status=400)
    caption = request.GET.get("caption", "").strip()
    markup = video_embeds.embed_html(
        video,
        title=request.GET.get("title", "").strip()[:TITLE_MAX_LENGTH],
        caption_html=escape(caption),
    )
    return JsonResponse({"html": markup})
