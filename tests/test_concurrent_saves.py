"""
Two editors who press Save on the same article at the same instant: exactly
one save is stored, the other is refused with the diff and keeps its text.
Real database connections, one per thread, released together by a barrier.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from articles.models import Article
from tests.factories import make_article, make_user
from tests.test_roles import change_url, form_data

TRIES = 20


def save_together(forms):
    """POST each (client, data) at the same instant; return the responses in order."""
    barrier = threading.Barrier(len(forms))
    responses = [None] * len(forms)

    def post(index, client, data):
        try:
            barrier.wait()
            responses[index] = client.post(change_url(article_of(data)), data)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(index, client, data))
        for index, (client, data) in enumerate(forms)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def article_of(data):
    return Article.objects.get(slug=data["slug"][0])


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_saves_exactly_one_is_stored():
    editors = {
        name: make_user("Editor", first_name=name, last_name="Smith")
        for name in ("Alice", "Bob")
    }
    clients = {}
    for name, user in editors.items():
        clients[name] = Client()
        clients[name].force_login(user)
    outcomes = []
    for attempt in range(TRIES):
        article = make_article(slug=f"contested-{attempt}")
        forms = [
            (
                clients[name],
                form_data(clients[name].get(change_url(article)))
                | {"title": [f"{name}'s title"]},
            )
            for name in editors
        ]

        stored, refused = [], []
        for name, response in zip(editors, save_together(forms), strict=True):
            (stored if response.status_code == 302 else refused).append(
                (name, response)
            )

        article.refresh_from_db()
        assert len(stored) == 1, [r.status_code for _name, r in stored + refused]
        (winner, _response), (loser, response) = stored[0], refused[0]
        assert article.title == f"{winner}'s title"
        html = response.content.decode()
        assert f"{winner} Smith saved this article" in html
        assert f"{loser}&#x27;s title" in html  # The loser's text is still in the form.
        assert f"+{winner}&#x27;s title" in html  # With the winner's change as a diff.
        assert article.revisions.count() == 2
        outcomes.append(winner)
    assert len(outcomes) == TRIES
