"""
The review flows in a real browser: FAQ questions reordered by dragging,
and a medical reviewer's sign-off, asked for from the change form, that
lets the article go live with "Medically reviewed by" on it.
"""

import pytest
from playwright.sync_api import expect

from articles.models import Article, FAQItem
from tests.factories import make_article, make_author, make_category, make_user
from tests.test_browser_change_form import change_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_reorders_the_faq_by_dragging(live_server, page):
    make_user("Editor", username="eva")
    article = make_article()
    for order, question in enumerate(["First?", "Second?", "Third?"], start=1):
        FAQItem.objects.create(
            article=article, question=question, answer="<p>Yes.</p>", order=order
        )
    sign_in(page, live_server, "eva")
    page.goto(change_page(live_server, article))

    rows = page.locator("#faq_items-group div.inline-related:not(.empty-form)")
    # Tall enough that the three questions are in view together: a drag
    # cannot scroll the page.
    page.set_viewport_size({"width": 1280, "height": 2400})
    rows.nth(0).scroll_into_view_if_needed()
    # By the row's heading, not a field in it (which would drag its text);
    # HTML drag and drop needs more than one move to report a dragover.
    rows.nth(2).hover(position={"x": 5, "y": 5})
    page.mouse.down()
    top = rows.nth(0).bounding_box()
    page.mouse.move(top["x"] + 5, top["y"] + 20, steps=5)
    page.mouse.move(top["x"] + 5, top["y"] + 5, steps=5)
    page.mouse.up()
    expect(rows.nth(0).locator("input[name$='-question']")).to_have_value("Third?")
    with page.expect_navigation():
        page.locator("input[name=_update]").first.click()

    assert page.locator(".messagelist .success").count() == 1
    assert list(
        article.faq_items.order_by("order").values_list("question", flat=True)
    ) == ["Third?", "First?", "Second?"]


def test_a_reviewer_signs_off_what_the_editor_then_publishes(
    live_server, page, browser
):
    make_user("Editor", username="eva")
    reviewer_user = make_user("Medical reviewer", username="pieter")
    pieter = make_author(display_name="Dr. Pieter de Groot", user=reviewer_user)
    health = make_category(name="Back pain", slug="back-pain", requires_sign_off=True)
    article = make_article(
        title="Heat for back spasms",
        slug="heat-for-back-spasms",
        status=Article.Status.DRAFT,
        primary_category=health,
    )

    sign_in(page, live_server, "eva")
    page.goto(change_page(live_server, article))
    page.select_option("#id_sign_off_reviewer", value=str(pieter.pk))
    page.fill("#id_sign_off_note", "Please check the heat advice.")
    with page.expect_navigation():
        page.click("button[name=_request_sign_off]")
    expect(page.locator(".messagelist .success")).to_contain_text(
        "is asked to sign off"
    )

    reviewer = browser.new_context().new_page()
    sign_in(reviewer, live_server, "pieter")
    reviewer.goto(change_page(live_server, article))
    with reviewer.expect_navigation():
        reviewer.click("text=Read and decide")
    expect(reviewer.locator("blockquote")).to_contain_text("Please check the heat")
    reviewer.check("input[name=decision][value=approve]")
    with reviewer.expect_navigation():
        reviewer.click("input[type=submit]")
    expect(reviewer.locator(".messagelist .success")).to_contain_text(
        "Your decision on"
    )
    reviewer.context.close()

    page.goto(change_page(live_server, article))
    expect(page.locator(".medical-review-panel")).to_contain_text(
        "Medically reviewed by Dr. Pieter de Groot"
    )
    with page.expect_navigation():
        page.locator("input[name=_publish]").first.click()
    assert page.locator(".messagelist .success").count() == 1

    article.refresh_from_db()
    assert article.is_published
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.locator("body")).to_contain_text("Dr. Pieter de Groot")
