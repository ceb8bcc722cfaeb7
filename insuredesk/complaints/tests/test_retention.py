"""GB-13 (DISP 1.9.1R): complaint records are kept 3 years from receipt."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from insuredesk.complaints import retention
from insuredesk.complaints.models import Complaint
from insuredesk.complaints.tests.factories import LONDON, at, make_gb_customer, submit
from insuredesk.errors import NotPermitted

pytestmark = pytest.mark.django_db


def test_record_is_kept_three_years_from_receipt_gb_13_disp_1_9_1r():
    gwen = make_gb_customer()
    complaint = submit(gwen, now=at(2025, 3, 3, tz=LONDON))
    assert complaint.keep_until == date(2028, 3, 3)
    with pytest.raises(NotPermitted) as refused:
        complaint.delete()
    assert refused.value.details["rule"] == "GB-13"
    assert refused.value.details["keep_until"] == "2028-03-03"
    with pytest.raises(NotPermitted):
        Complaint.objects.filter(pk=complaint.pk).delete()
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_the_last_day_is_counted_in_the_complaints_calendar_not_the_servers_gb_13():
    gwen = make_gb_customer()
    complaint = submit(gwen, now=at(2025, 3, 3, tz=LONDON))
    # 20:00 on 2 March 2028 in London is already 3 March in Shanghai (the server's zone).
    evening_before = at(2028, 3, 2, 20, tz=LONDON)
    assert not retention.may_delete(complaint, evening_before)
    with pytest.raises(NotPermitted):
        retention.refuse_early_deletion([complaint], evening_before)
    assert retention.may_delete(complaint, at(2028, 3, 3, 0, tz=LONDON))


def test_leap_day_complaint_is_kept_until_the_first_of_march_disp_1_9_1r():
    assert retention.keep_until(at(2024, 2, 29, tz=LONDON), "GB") == date(2027, 3, 1)


def test_admin_cannot_delete_a_complaint_within_three_years_disp_1_9_1r(alice, admin_user):
    complaint = submit(alice, now=timezone.now())
    request = RequestFactory().get("/")
    request.user = admin_user  # a superuser: every permission, but not this one yet
    admin = site._registry[Complaint]
    assert admin.has_delete_permission(request, complaint) is False
    assert admin.has_delete_permission(request, None) is False  # no bulk deletion
    old = submit(alice, now=timezone.now() - timedelta(days=3 * 366 + 1))
    assert admin.has_delete_permission(request, old) is True
    old.delete()  # past the period the record may go
    assert not Complaint.objects.filter(pk=old.pk).exists()


def test_console_workspace_shows_the_retention_date_gb_13(client, alice, erin):
    complaint = submit(alice, now=at(2025, 3, 3))
    client.force_login(erin)
    page = client.get(reverse("console:complaint-detail", args=[complaint.reference]))
    body = page.content.decode()
    assert "Record kept until" in body
    assert "2028-03-03" in body and "DISP 1.9.1R" in body
