"""
An editor in the admin over HTTP, as a browser is one: a real session
(sign in with the login form and its CSRF token), then open a change form,
change some fields and submit everything the form holds.
"""

from __future__ import annotations

import http.client
import secrets
import urllib.parse
from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The name/value pairs a browser submits from the form with this id."""

    SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.pairs = form_id, False, []
        self._select = self._option = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.pairs.append((name, attrs.get("value") or "on"))
            elif kind not in self.SKIPPED_INPUTS:
                self.pairs.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = {
                "name": name,
                "multiple": "multiple" in attrs,
                "options": [],
            }
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "selected": "selected" in attrs,
            }
            self._select["options"].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the newline that follows <textarea>.
            text = self._textarea["text"].removeprefix("\n")
            self.pairs.append((self._textarea["name"], text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [option for option in options if option["selected"]]
            if not chosen and not self._select["multiple"]:
                chosen = options[:1]
            self.pairs += [(self._select["name"], o["value"] or "") for o in chosen]
            self._select = None


def form_pairs(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return [(name, value) for name, value in parser.pairs if "__prefix__" not in name]


class Editor:
    """One signed-in staff member, with the cookies of a browser."""

    def __init__(self, base_url: str, username: str, password: str, *, timeout=30):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.username, self.password, self.timeout = username, password, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", headers=None):
        """Return (status, headers, body); cookies are kept as a browser keeps them."""
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=self.timeout
        )
        try:
            sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if method == "POST":
                sent["Origin"] = f"http://{self.host}:{self.port}"
                sent["Referer"] = f"http://{self.host}:{self.port}{path}"
            connection.request(method, path, body=body or None, headers=sent)
            response = connection.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), data
        finally:
            connection.close()

    def post_form(self, path: str, pairs: list[tuple[str, str]]):
        pairs = [*pairs, ("csrfmiddlewaretoken", self.cookies.get("csrftoken", ""))]
        body = urllib.parse.urlencode(pairs).encode()
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def sign_in(self, *, login_path: str = "/admin/login/") -> None:
        self.request("GET", login_path)
        status, headers, _ = self.post_form(
            login_path,
            [
                ("username", self.username),
                ("password", self.password),
                ("next", "/admin/"),
            ],
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in as {self.username} failed ({status})")

    def save_article(self, pk: int, **changes: str) -> int:
        """Open the article's change form, change fields, save; return the status (302: saved)."""
        path = f"/admin/articles/article/{pk}/change/"
        status, _, page = self.request("GET", path)
        if status != 200:
            return status
        changed = [(name, value) for name, value in form_pairs(page.decode(), "article_form")
                   if name not in changes]  # fmt: skip
        status, _, _ = self.post_form(
            path, [*changed, *changes.items(), ("_save", "Save")]
        )
        return status

    def upload_image(self, filename: str, data: bytes, **fields: str):
        """Post the image upload form with a file; return (status, page)."""
        path = "/admin/articles/image/add/"
        self.request("GET", path)
        boundary = secrets.token_hex(16)
        parts = [
            ("csrfmiddlewaretoken", self.cookies.get("csrftoken", "")),
            *fields.items(),
        ]
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in parts
        ) + (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode() + data + f"\r\n--{boundary}--\r\n".encode()  # fmt: skip
        status, _, page = self.request(
            "POST",
            path,
            body,
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        return status, page.decode(errors="replace")
