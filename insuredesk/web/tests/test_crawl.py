"""Crawl: each member of the demo cast, and a visitor without an account, walks the site from
their home page over the demo data, following every link; then sends every form on the pages
they reached back empty. No page and no form may answer 5xx ("Bad input": never a 500).

The demo data is loaded once for the module and rolled back after it; each form is sent inside
a savepoint that is rolled back, so one form cannot change what the next is sent against. The
walk stays on our own pages: not the API (test_api_robustness sweeps it), not static files,
not logging out. Each person opens only a few letters (PDFs): one is much like another.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from insuredesk.tests.worlds import shared_world

CAST = ["alice", "mallory", "dave", "ursula", "bob", "sam", "erin", "carol", "admin"]
MAX_PAGES = 150  # per person: enough to reach every kind of page the demo has
MAX_PDFS = 4
OUTSIDE = ("/api/", "/static/", "/media/", "/accounts/logout/")


class Links(HTMLParser):
    """The links and the POST forms of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        elif tag == "form" and (found.get("method") or "get").lower() == "post":
            self.forms.append(found.get("action") or "")


def _ours(base: str, href: str) -> str | None:
    """The site-relative address of a link on a page at `base`, or None if it leaves us."""
    url, _ = urldefrag(urljoin(base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(OUTSIDE):
        return None
    if path.startswith("/admin/") and parts.query:
        return None  # the admin's sorting and filter links: the same pages again
    return path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once and rolled back after the module; its files' folder."""
    media = tmp_path_factory.mktemp("crawl-media")
    with shared_world(django_db_blocker, media):
        call_command("demo", stdout=StringIO())
        yield media


def walk(client: Client, start: str) -> tuple[dict[str, int], set[tuple[str, str]]]:
    """Every page reachable from `start`, with its status; and the (page, action) of each form."""
    seen: dict[str, int] = {}
    forms: set[tuple[str, str]] = set()
    queue = deque([start])
    pdfs = 0
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        if "letters/" in url:  # a letter's PDF
            if pdfs >= MAX_PDFS:
                continue
            pdfs += 1
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302) and response.get("Location"):
            target = _ours(url, response["Location"])
            if target and target not in seen:
                queue.append(target)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = Links()
        page.feed(response.content.decode())
        for href in page.links:
            target = _ours(url, href)
            if target and target not in seen:
                queue.append(target)
        for action in page.forms:
            target = _ours(url, action or url)
            if target:
                forms.add((url, target))
    return seen, forms


def post_empty(client: Client, url: str) -> int:
    """One empty form sent inside a savepoint that is always rolled back."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    with block:
        try:
            return client.post(url, {}).status_code
        finally:
            transaction.set_rollback(True)


def crawl(client: Client, start: str) -> tuple[dict[str, int], list[str]]:
    pages, forms = walk(client, start)
    failures = [f"GET {url} → {status}" for url, status in pages.items() if status >= 500]
    for action in sorted({action for _, action in forms}):
        status = post_empty(client, action)
        if status >= 500:
            failures.append(f"POST {action} (empty) → {status}")
    return pages, failures


@pytest.mark.parametrize("username", CAST)
def test_every_page_and_empty_form_the_cast_reaches_answers_below_500(demo, db, settings, username):
    from django.contrib.auth import get_user_model

    settings.MEDIA_ROOT = demo  # where the demo's letters were stored
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))

    pages, failures = crawl(client, "/")

    assert failures == []
    assert len(pages) >= 10, sorted(pages)  # the walk got past the home page


def test_a_visitor_without_an_account_reaches_the_public_pages_and_no_500(demo, db, settings):
    settings.MEDIA_ROOT = demo
    client = Client(raise_request_exception=False)

    pages, failures = crawl(client, "/")

    assert failures == []
    assert any(url.startswith("/accounts/login/") for url in pages)
    assert all(status in (200, 301, 302, 404, 405) for status in pages.values()), pages
