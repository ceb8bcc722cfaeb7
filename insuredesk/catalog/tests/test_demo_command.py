"""`insuredesk demo`: the cast, the catalogue and policies in every state, idempotent."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from insuredesk.catalog.models import Clause, Product
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role, has_role
from insuredesk.policies.choices import InstalmentStatus, PolicyStatus
from insuredesk.policies.models import Beneficiary, Policy, PremiumInstalment
from insuredesk.policies.services import open_cooling_off

pytestmark = pytest.mark.django_db
User = get_user_model()


def counts() -> dict[str, int]:
    models = (User, CustomerProfile, Product, Clause, Policy, Beneficiary, PremiumInstalment)
    return {model.__name__: model.objects.count() for model in models} | {
        "paid": PremiumInstalment.objects.filter(status=InstalmentStatus.PAID).count()
    }


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_creates_the_cast_and_policies_and_a_second_run_changes_nothing():
    output = run_demo()
    first = counts()
    assert "Demo data ready" in output

    # The cast, all with password "demo".
    for username, role in [
        ("alice", Role.CUSTOMER),
        ("mallory", Role.CUSTOMER),
        ("dave", Role.AGENT),
        ("ursula", Role.UNDERWRITER),
        ("bob", Role.CLAIMS_HANDLER),
        ("sam", Role.SURVEYOR),
        ("erin", Role.COMPLAINT_HANDLER),
        ("carol", Role.SUPERVISOR),
        ("admin", Role.ADMINISTRATOR),
    ]:
        user = User.objects.get(username=username)
        assert user.check_password("demo"), username
        assert has_role(user, role), username
    assert User.objects.get(username="admin").is_superuser
    alice = CustomerProfile.objects.get(user__username="alice")
    assert (alice.full_name, alice.region) == ("Alice Chen", "Shanghai")
    assert CustomerProfile.objects.get(user__username="mallory").full_name == "Mallory Stone"
    assert CustomerProfile.objects.filter(user__isnull=True).count() >= 12
    assert {"GB", "US-CA"} <= set(CustomerProfile.objects.values_list("jurisdiction", flat=True))

    # Policies in every state the issue asks for.
    lines = set(
        Policy.objects.filter(policyholder=alice).values_list(
            "product_version__product__line", flat=True
        )
    )
    assert lines == {"term_life", "home", "motor"}
    mallory_lines = set(
        Policy.objects.filter(policyholder__user__username="mallory").values_list(
            "product_version__product__line", flat=True
        )
    )
    assert mallory_lines == {"critical_illness", "motor", "term_life"}
    newest = Policy.objects.filter(policyholder__user__username="mallory").latest("issued_at")
    assert open_cooling_off(newest, now=timezone.now()) is not None  # CN-10: 15 days
    statuses = set(Policy.objects.values_list("status", flat=True))
    assert {PolicyStatus.IN_FORCE, PolicyStatus.SUSPENDED, PolicyStatus.LAPSED} <= statuses
    today = timezone.localdate()
    due_soon = PremiumInstalment.objects.filter(
        status=InstalmentStatus.DUE,
        due_date__gte=today,
        due_date__lte=today + dt.timedelta(days=10),
        policy__status=PolicyStatus.IN_FORCE,
    )
    assert due_soon.exists()
    overdue_in_grace = PremiumInstalment.objects.filter(
        status=InstalmentStatus.DUE,
        due_date__lt=today,
        due_date__gt=today - dt.timedelta(days=60),
        policy__status=PolicyStatus.IN_FORCE,
    )
    assert overdue_in_grace.exists()
    assert {"GB", "US-CA"} <= set(Policy.objects.values_list("jurisdiction", flat=True))

    # Users change things; a second run keeps them.
    user = User.objects.get(username="alice")
    user.set_password("a-new-secret-9")
    user.save()
    alice.phone = "+86 100 0000 0000"
    alice.save()
    run_demo()
    assert counts() == first
    assert User.objects.get(username="alice").check_password("a-new-secret-9")
    assert CustomerProfile.objects.get(pk=alice.pk).phone == "+86 100 0000 0000"


def test_the_demo_calls_an_apps_load_hook(monkeypatch):
    import types

    from insuredesk.web.management.commands import demo

    calls = []
    module = types.ModuleType("insuredesk.claims.demo")
    module.load = lambda *, stdout, now: calls.append(now)  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "insuredesk.claims.demo", module)
    monkeypatch.setattr(demo.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(demo, "DEMO_APPS", ["claims"])
    run_demo()
    assert len(calls) == 1
