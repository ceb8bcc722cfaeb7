"""The console page listing every profile's rules with sources and status."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

pytestmark = pytest.mark.django_db

URL = "/console/rules/"


def signed_in(username: str, role: str | None) -> Client:
    user = User.objects.create_user(username=username, password="x")
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    client = Client()
    client.force_login(user)
    return client


def test_staff_see_every_profile_with_sources_and_status():
    carol = signed_in("carol", "supervisor")

    response = carol.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "CN — People",
        "GB — United Kingdom",
        "US-CA — California",
        "CN-28.complex",
        "IL Art. 24",
        "DISP 1.6.2R",
        "10 CCR 2695.7(b)",
        "Financial Ombudsman Service",
    ):
        assert text in page, text


def test_unconfirmed_rules_are_marked_on_the_page():
    bob = signed_in("bob", "claims_handler")

    page = bob.get(URL).content.decode()

    row = page[page.index("<strong>CN-10</strong>") :][:1500]
    assert "unconfirmed" in row
    assert "configurable default" in row


def test_visitors_are_sent_to_sign_in():
    response = Client().get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_customers_may_not_open_the_console_page():
    alice = signed_in("alice", "customer")

    assert alice.get(URL).status_code == 403
