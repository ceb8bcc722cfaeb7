"""The sales admin: the list opens and searches; an application's page shows what was declared,
and nothing can be added, changed or deleted there."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from insuredesk.catalog.loading import load_demo_catalogue
from insuredesk.sales.tests.test_applications import NOW, apply, clean

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "x")
    client.force_login(admin)
    return client


def test_the_list_searches_and_a_record_is_read_only(admin_client, alice, time_machine):
    load_demo_catalogue()
    time_machine.move_to(NOW + dt.timedelta(minutes=1), tick=False)
    application = apply(alice.user, declarations=clean(smoker="Until 2025"))

    listed = admin_client.get("/admin/sales/application/", {"q": application.reference})
    page = admin_client.get(f"/admin/sales/application/{application.pk}/change/")
    added = admin_client.get("/admin/sales/application/add/")

    assert listed.status_code == 200 and application.reference in listed.text
    assert page.status_code == 200 and "Until 2025" in page.text
    assert 'name="_save"' not in page.text
    assert added.status_code == 403
