"""GB-04 progress updates and the CA-10 limitation warning, both sent by the claims sweep."""

from datetime import timedelta
from decimal import Decimal

import pytest

from insuredesk.casework.models import CaseEvent
from insuredesk.claims.services.progress import limitation_expiry
from insuredesk.claims.tasks import PERIODIC_JOBS
from insuredesk.claims.tests.factories import NOW, fresh, report, upload_all
from insuredesk.documents.models import Letter
from insuredesk.notifications.models import Message
from insuredesk.tests import factories

pytestmark = pytest.mark.django_db


def sweep(now):
    """What the worker runs: the claims entry of PERIODIC_JOBS."""
    (_name, job), *_ = [j for j in PERIODIC_JOBS if j[0] == "claims"]
    return job(now=now)


@pytest.fixture
def gb_policy(db):
    holder = factories.make_customer("gwen", full_name="Gwen Hughes", jurisdiction="GB")
    return factories.make_policy(holder, start=NOW.date() - timedelta(days=100), jurisdiction="GB")


def _updates(claim):
    return CaseEvent.objects.filter(case=claim.case, kind="progress_update")


# --- GB-04 -----------------------------------------------------------------------------------


def test_a_quiet_gb_claim_gets_a_progress_update_after_10_days_gb_04_icobs_8_1_1(gb_policy):
    claim = report(gb_policy)
    assert sweep(NOW + timedelta(days=9))["progress_updates"] == 0
    assert sweep(NOW + timedelta(days=10, minutes=1))["progress_updates"] == 1
    update = _updates(claim).get()
    assert update.visible_to_customer and update.data["rule"] == "GB-04"
    assert "Your claim is reported." in update.reason
    assert Message.objects.filter(case=claim.case, subject__contains="where it stands").exists()


def test_the_update_restarts_the_quiet_period_and_a_repeat_sends_nothing_gb_04(gb_policy):
    claim = report(gb_policy)
    first = NOW + timedelta(days=11)
    assert sweep(first)["progress_updates"] == 1
    assert sweep(first)["progress_updates"] == 0
    assert sweep(first + timedelta(days=9))["progress_updates"] == 0
    assert sweep(first + timedelta(days=10, minutes=1))["progress_updates"] == 1
    assert _updates(claim).count() == 2


def test_the_quiet_period_is_configurable_gb_04(gb_policy, settings):
    settings.INSUREDESK = {**settings.INSUREDESK, "CLAIMS_GB_PROGRESS_UPDATE_DAYS": 3}
    claim = report(gb_policy)
    assert sweep(NOW + timedelta(days=3, minutes=1))["progress_updates"] == 1
    assert _updates(claim).count() == 1


def test_cn_claims_and_decided_gb_claims_get_no_progress_update_gb_04(policy, gb_policy, bob):
    from insuredesk.claims import services

    cn_claim = report(policy)
    gb_claim = report(gb_policy)
    services.refuse_claim(
        claim=gb_claim,
        ground="not_covered",
        reasons="Not an insured peril.",
        clauses=[{"number": "2.1", "how_it_applies": "Not a fire."}],
        actor=bob,
        now=NOW,
    )
    assert sweep(NOW + timedelta(days=30))["progress_updates"] == 0
    assert not _updates(cn_claim).exists() and not _updates(gb_claim).exists()


# --- CA-10 -----------------------------------------------------------------------------------


def _warnings(claim):
    return CaseEvent.objects.filter(case=claim.case, kind="limitation_warning_sent")


def test_the_claimant_is_warned_60_days_before_the_time_limit_ca_10_2695_7_f(ca_policy):
    claim = report(ca_policy)
    expires = limitation_expiry(claim)
    assert expires == claim.event_date.replace(year=claim.event_date.year + 1)
    # Days count in California time: 23:00 in Shanghai is 07:00 the same day in Los Angeles.
    expiry_day = NOW.replace(year=expires.year, month=expires.month, day=expires.day, hour=23)
    assert sweep(expiry_day - timedelta(days=61))["limitation_warnings"] == 0
    assert sweep(expiry_day - timedelta(days=60))["limitation_warnings"] == 1
    event = _warnings(claim).get()
    assert event.data["rule"] == "CA-10" and event.data["expires"] == expires.isoformat()
    letter = Letter.objects.get(case=claim.case, kind="claim_limitation_warning")
    assert letter.context["expires"] == expires.isoformat() and letter.context["days_left"] >= 60
    assert sweep(expiry_day - timedelta(days=40))["limitation_warnings"] == 0


def test_a_claim_settled_by_payment_gets_no_limitation_warning_ca_10(
    ca_policy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = report(ca_policy, amount=Decimal("3000"))
        upload_all(claim)
    assert fresh(claim).case.status == "paid"
    expires = limitation_expiry(claim)
    at = NOW.replace(year=expires.year, month=expires.month, day=expires.day) - timedelta(days=30)
    assert sweep(at)["limitation_warnings"] == 0
    assert not _warnings(claim).exists()


def test_no_warning_once_the_time_limit_has_passed_or_outside_us_ca_ca_10(policy, ca_policy):
    cn_claim = report(policy)
    ca_claim = report(ca_policy)
    expires = limitation_expiry(ca_claim)
    after = NOW.replace(year=expires.year, month=expires.month, day=expires.day) + timedelta(days=1)
    assert sweep(after)["limitation_warnings"] == 0
    assert not _warnings(ca_claim).exists() and not _warnings(cn_claim).exists()
