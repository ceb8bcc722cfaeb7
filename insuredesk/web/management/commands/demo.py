"""`insuredesk demo`: the demonstration insurer, its staff, customers, catalogue and policies.

Idempotent: every step looks for what it would create and leaves existing rows alone, so a
second run (every `make run` does one) changes nothing users entered — passwords, profiles,
policies, payments. Dates are relative to the day it first runs.

What it creates:
  1. the role groups (`customers.roles.sync_roles`);
  2. logins, all with password `demo`: customers `alice` (Alice Chen, Shanghai) and `mallory`
     (Mallory Stone); staff `dave` (agent), `ursula` (underwriter), `bob` (claims handler),
     `sam` (surveyor), `erin` (complaint handler), `carol` (supervisor) and `admin`
     (superuser and administrator);
  3. the demo catalogue (`insuredesk/catalog/demo/*.toml`);
  4. twelve more customers without logins (one in the GB jurisdiction, one in US-CA);
  5. policies issued through `policies.services.issue_policy` as if on the day they started,
     with past premiums paid (each with its receipt): some with a premium due within ten days,
     one overdue but in its grace period (with its demand notice), one suspended for arrears
     (IL Art. 36, with its suspension notice) and one terminated (IL Art. 37), each step taken
     through the services on the day the worker would have taken it;
  6. the demo data of later apps, through this hook: for each app in `DEMO_APPS`, if the module
     `insuredesk.<app>.demo` exists and has a function `load(*, stdout, now)`, it is called in
     that order, after everything above exists. Such a `load` must be idempotent too (look
     rows up before creating them), take its dates from `now`, write one or two lines to
     `stdout`, and find the cast by username (`alice`, `bob`, …) and policies through
     `Policy.objects.filter(policyholder__user__username="alice")`. The `policies` hook adds
     the portfolio (about 2,000 customers without logins and 3,000 policies started over the
     past two years, `insuredesk/policies/demo.py`) before consultation, claims and
     complaints, so rates per 10 000 policies have a realistic denominator.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from insuredesk.catalog.loading import load_demo_catalogue
from insuredesk.catalog.models import Clause, Product, ProductVersion
from insuredesk.catalog.rating import METHOD_INPUTS, age_on
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role, sync_roles
from insuredesk.customers.services import create_customer
from insuredesk.policies.choices import (
    InstalmentStatus,
    PaymentMethod,
    PolicyStatus,
    PremiumFrequency,
)
from insuredesk.policies.models import Policy, PremiumInstalment, Reinstatement
from insuredesk.policies.services import (
    apply_for_reinstatement,
    demand_premium,
    grace_applies,
    issue_policy,
    open_arrears,
    record_premium_payment,
    request_surrender,
    suspend_for_arrears,
    terminate_suspended_policy,
    why_not_surrender,
)
from insuredesk.rules.registry import get_profile

User = get_user_model()

PASSWORD = "demo"
DEMO_APPS = [
    "casework",
    "documents",
    "notifications",
    "policies",  # the portfolio: before the apps whose reports count policies
    "sales",
    "planning",  # after sales: its plans link to the application form
    "consultation",
    "claims",
    "complaints",
]

STAFF = [
    ("dave", "Dave", "Li", Role.AGENT),
    ("ursula", "Ursula", "Wang", Role.UNDERWRITER),
    ("bob", "Bob", "Zhou", Role.CLAIMS_HANDLER),
    ("sam", "Sam", "Liu", Role.SURVEYOR),
    ("erin", "Erin", "Xu", Role.COMPLAINT_HANDLER),
    ("carol", "Carol", "Sun", Role.SUPERVISOR),
]


class LoginCustomer(TypedDict):
    """The profile fields of a demo customer with a login (`create_customer` arguments)."""

    full_name: str
    email: str
    phone: str
    date_of_birth: dt.date
    address: str
    region: str


# Customers: key (username for logins, else e-mail), profile fields.
LOGIN_CUSTOMERS: dict[str, LoginCustomer] = {
    "alice": {
        "full_name": "Alice Chen",
        "email": "alice@example.com",
        "phone": "+86 138 1234 5678",
        "date_of_birth": dt.date(1988, 3, 14),
        "address": "Room 1602, 88 Century Avenue, Pudong, Shanghai",
        "region": "Shanghai",
    },
    "mallory": {
        "full_name": "Mallory Stone",
        "email": "mallory@example.com",
        "phone": "+86 139 8765 4321",
        "date_of_birth": dt.date(1986, 11, 2),
        "address": "12 West Lake Road, Hangzhou",
        "region": "Zhejiang",
    },
}
OTHER_CUSTOMERS: list[dict[str, Any]] = [
    {"full_name": "Zhang Wei", "dob": (1979, 6, 2), "region": "Beijing", "language": "zh"},
    {"full_name": "Li Na", "dob": (1983, 9, 21), "region": "Guangdong", "language": "zh"},
    {"full_name": "Wang Fang", "dob": (1990, 1, 30), "region": "Sichuan", "language": "zh"},
    {"full_name": "Liu Yang", "dob": (1999, 4, 11), "region": "Guangdong", "language": "zh"},
    {"full_name": "Chen Jing", "dob": (1975, 12, 5), "region": "Zhejiang", "language": "zh"},
    {"full_name": "Zhao Lei", "dob": (1981, 7, 19), "region": "Jiangsu", "language": "zh"},
    {"full_name": "Huang Min", "dob": (1994, 2, 8), "region": "Hubei", "language": "en"},
    {"full_name": "Zhou Xin", "dob": (1964, 10, 23), "region": "Shaanxi", "language": "zh"},
    {"full_name": "Wu Hao", "dob": (1987, 5, 27), "region": "Jiangsu", "language": "zh"},
    {"full_name": "Xu Li", "dob": (1996, 8, 15), "region": "Tianjin", "language": "zh"},
    {
        "full_name": "Oliver Hughes",
        "dob": (1980, 3, 3),
        "region": "London",
        "jurisdiction": "GB",
        "address": "14 Albion Street, London W2 2AS",
        "phone": "+44 20 7946 0321",
    },
    {
        "full_name": "Maria Gonzalez",
        "dob": (1979, 9, 9),
        "region": "California",
        "jurisdiction": "US-CA",
        "address": "2210 Sunset Boulevard, Los Angeles, CA 90026",
        "phone": "+1 213 555 0147",
    },
]


@dataclass
class PolicyPlan:
    """A demo policy: whose, on what, issued how many days ago and what happened since.

    `unpaid_from` is the index of the first instalment left unpaid (None: all past ones paid);
    `then` is "suspend" (IL Art. 36) or "lapse" (suspended, then terminated under Art. 37).
    """

    holder: str  # username or customer full name
    product: str
    sum_insured: str
    term_years: int
    issued_days_ago: int
    inputs: dict[str, Any] = field(default_factory=dict)
    frequency: str = PremiumFrequency.ANNUAL
    beneficiaries: list[dict[str, Any]] = field(default_factory=list)
    unpaid_from: int | None = None
    then: str | None = None
    agent: str = "dave"


TERM, CI, MOTOR, HOME = (
    "harbour-term-life",
    "harbour-critical-illness",
    "harbour-motor",
    "harbour-home",
)
GB_HOME, CA_AUTO = "harbour-home-uk", "harbour-auto-ca"  # each market's own products

PLANS = [
    # Alice: the annual term-life premium falls due in 7 days; home paid monthly; motor paid.
    PolicyPlan(
        "alice",
        TERM,
        "1000000",
        20,
        358,
        beneficiaries=[
            {"full_name": "Chen Hao", "relation": "spouse", "share_percent": "60"},
            {"full_name": "Chen Lily", "relation": "child", "share_percent": "40"},
        ],
    ),
    PolicyPlan(
        "alice",
        HOME,
        "3200000",
        1,
        115,
        inputs={
            "building_value": "3000000",
            "construction": "reinforced_concrete",
            "contents_value": "200000",
        },
        frequency=PremiumFrequency.MONTHLY,
    ),
    PolicyPlan(
        "alice",
        MOTOR,
        "250000",
        1,
        40,
        inputs={"vehicle_value": "250000", "claim_free_years": 3, "plate": "沪A·5T218"},
    ),
    PolicyPlan("mallory", CI, "300000", 20, 200, agent="ursula"),
    PolicyPlan(
        "mallory",
        MOTOR,
        "120000",
        1,
        300,
        inputs={"vehicle_value": "120000", "claim_free_years": 1},
    ),
    # Issued 4 days ago: still in its cooling-off period, so her portal offers to cancel it.
    PolicyPlan("mallory", TERM, "500000", 20, 4),
    # Overdue 25 days: still in force in the 60-day grace period.
    PolicyPlan("Zhang Wei", TERM, "500000", 10, 390, unpaid_from=1),
    # Overdue 90 days: suspended 60 days after the due date (IL Art. 36).
    PolicyPlan("Li Na", CI, "200000", 20, 455, unpaid_from=1, then="suspend"),
    # Paid monthly, stopped paying after the first month, suspended and not reinstated in two
    # years: terminated (IL Art. 37).
    PolicyPlan(
        "Wang Fang",
        TERM,
        "300000",
        10,
        900,
        frequency=PremiumFrequency.MONTHLY,
        unpaid_from=1,
        then="lapse",
    ),
    PolicyPlan(
        "Liu Yang",
        MOTOR,
        "180000",
        1,
        200,
        inputs={"vehicle_value": "180000", "claim_free_years": 0},
    ),
    PolicyPlan(
        "Chen Jing",
        HOME,
        "1900000",
        1,
        30,
        inputs={
            "building_value": "1800000",
            "construction": "brick_concrete",
            "contents_value": "100000",
        },
    ),
    PolicyPlan("Zhao Lei", CI, "500000", 10, 362, agent="ursula"),  # due in 3 days
    PolicyPlan(
        "Huang Min",
        TERM,
        "2000000",
        30,
        20,
        beneficiaries=[{"full_name": "Huang Jun", "relation": "parent", "share_percent": "100"}],
    ),
    PolicyPlan(
        "Zhou Xin",
        MOTOR,
        "450000",
        1,
        10,
        inputs={"vehicle_value": "450000", "claim_free_years": 5},
    ),
    PolicyPlan(
        "Wu Hao",
        HOME,
        "900000",
        1,
        340,
        inputs={"building_value": "900000", "construction": "timber", "contents_value": "0"},
    ),
    PolicyPlan("Xu Li", CI, "100000", 30, 60),
    PolicyPlan(
        "Oliver Hughes",
        GB_HOME,
        "485000",
        1,
        150,
        inputs={
            "building_value": "450000",
            "construction": "brick_concrete",
            "contents_value": "35000",
        },
    ),
    PolicyPlan(
        "Maria Gonzalez",
        CA_AUTO,
        "32000",
        1,
        75,
        # rated under Proposition 103: one point, never hurt anyone, 14 years licensed
        inputs={
            "vehicle_value": "32000",
            "violation_points": 1,
            "at_fault_injury_accidents": 0,
            "annual_miles": 11000,
            "years_licensed": 14,
        },
    ),
]


class Command(BaseCommand):
    help = "Load the demonstration data (idempotent: safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-apps", action="store_true", help="Do not call the apps' demo hooks."
        )

    def handle(self, *args, skip_apps: bool = False, **options):
        now = timezone.now()
        self.step("Roles")
        sync_roles()
        self.step("Logins (password: demo)")
        users = self.ensure_users()
        self.step("Catalogue")
        report = load_demo_catalogue()
        self.stdout.write(f"    {report.summary()}")
        self.step("Customers")
        customers = self.ensure_customers(users)
        self.step("Policies")
        issued = self.ensure_policies(customers, users, now)
        self.stdout.write(f"    {issued} issued now, {len(PLANS) - issued} already there")
        self.step("Premiums")
        self.ensure_premium_stories(customers, users, now)
        self.step("Surrender")
        self.ensure_surrender(customers, users, now)
        if not skip_apps:
            for app in DEMO_APPS:
                self.run_app_hook(app, now)
        self.summary(now)

    # -- steps ----------------------------------------------------------------------------------

    def step(self, title: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"· {title}"))

    def ensure_user(self, username: str, **fields: Any):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, **fields)
            user.set_password(PASSWORD)
            user.save()
        return user

    def ensure_users(self) -> dict[str, Any]:
        users = {}
        groups = {role: Group.objects.get(name=role.value) for role in Role}
        for username, profile in LOGIN_CUSTOMERS.items():
            first, _, last = profile["full_name"].partition(" ")
            user = self.ensure_user(
                username, first_name=first, last_name=last, email=profile["email"]
            )
            if not user.groups.exists():
                user.groups.add(groups[Role.CUSTOMER])
            users[username] = user
        for username, first, last, role in STAFF:
            user = self.ensure_user(
                username,
                first_name=first,
                last_name=last,
                email=f"{username}@harbour-mutual.example",
                is_staff=True,
            )
            if not user.groups.exists():
                user.groups.add(groups[role])
            users[username] = user
        admin = self.ensure_user(
            "admin",
            first_name="Ada",
            last_name="Admin",
            email="admin@harbour-mutual.example",
            is_staff=True,
            is_superuser=True,
        )
        if not admin.groups.exists():
            admin.groups.add(groups[Role.ADMINISTRATOR])
        users["admin"] = admin
        return users

    def ensure_customers(self, users: dict[str, Any]) -> dict[str, CustomerProfile]:
        customers = {}
        for username, profile in LOGIN_CUSTOMERS.items():
            existing = CustomerProfile.objects.filter(user=users[username]).first()
            customers[username] = existing or create_customer(user=users[username], **profile)
        for person in OTHER_CUSTOMERS:
            name = person["full_name"]
            email = name.lower().replace(" ", ".") + "@example.net"
            existing = CustomerProfile.objects.filter(email=email).first()
            customers[name] = existing or create_customer(
                full_name=name,
                email=email,
                phone=person.get("phone", "+86 137 0000 " + f"{len(customers):04d}"),
                date_of_birth=dt.date(*person["dob"]),
                address=person.get("address", ""),
                region=person["region"],
                language=person.get("language", "en"),
                jurisdiction=person.get("jurisdiction", "CN"),
            )
        created = CustomerProfile.objects.filter(pk__in=[c.pk for c in customers.values()])
        self.stdout.write(f"    {created.count()} demo customers")
        return customers

    def ensure_policies(
        self, customers: dict[str, CustomerProfile], users: dict[str, Any], now: dt.datetime
    ) -> int:
        issued = 0
        for plan in PLANS:
            holder = customers[plan.holder]
            exists = Policy.objects.filter(
                policyholder=holder, product_version__product__code=plan.product
            ).exists()
            if exists:
                continue
            if self.issue_plan(plan, holder, users, now):
                issued += 1
        return issued

    def issue_plan(
        self, plan: PolicyPlan, holder: CustomerProfile, users: dict[str, Any], now: dt.datetime
    ) -> bool:
        """Issue the policy as on its start day, then let time pass: pay, suspend, lapse."""
        profile = get_profile(holder.jurisdiction)
        issued_at = now - dt.timedelta(days=plan.issued_days_ago)
        start = profile.today(issued_at)
        version = (
            ProductVersion.objects.select_related("product")
            .filter(product__code=plan.product, effective_from__lte=start)
            .order_by("-version")
            .first()
        )
        if version is None:
            self.stdout.write(f"    skipped {plan.holder} {plan.product}: not on sale on {start}")
            return False
        inputs = dict(plan.inputs)
        details = {k: inputs.pop(k) for k in ("plate",) if k in inputs}
        if version.product.line == "motor":
            if holder.date_of_birth is None:
                raise CommandError(f"{plan.holder} has no date of birth to rate motor cover on.")
            if "driver_age" in METHOD_INPUTS[version.rating_method]:
                inputs.setdefault("driver_age", age_on(holder.date_of_birth, start))
            details.update(vehicle_value=inputs["vehicle_value"], main_driver=holder.full_name)
        if version.product.line == "home":
            details.update(address=holder.address or f"{holder.region} (demo address)")
        policy = issue_policy(
            actor=users[plan.agent],
            product_version=version,
            policyholder=holder,
            insured_name=holder.full_name,
            insured_date_of_birth=holder.date_of_birth,
            sum_insured=Decimal(plan.sum_insured),
            term_years=plan.term_years,
            rating_inputs=inputs,
            start_date=start,
            beneficiaries=plan.beneficiaries,
            jurisdiction=holder.jurisdiction,
            now=issued_at,
            premium_frequency=plan.frequency,
            risk_details=details,
        )
        today = profile.today(now)
        for index, instalment in enumerate(policy.instalments.order_by("due_date")):
            if instalment.due_date >= today:
                break
            if plan.unpaid_from is not None and index >= plan.unpaid_from:
                break
            paid_at = dt.datetime.combine(instalment.due_date, dt.time(10), tzinfo=profile.tz)
            record_premium_payment(
                actor=None,
                instalment=instalment,
                amount=instalment.amount,
                currency=policy.currency,
                method=PaymentMethod.DIRECT_DEBIT,
                reference=f"DEMO-{policy.number}-{index + 1:03d}",
                now=max(paid_at, issued_at),
            )
        # The worker's steps, on the days it would have taken them: the demand notice the day
        # after the premium fell due (CN-15), suspension the day after the grace period ends,
        # termination the day after the reinstatement period (IL Art. 37).
        overdue = (
            policy.instalments.filter(status=InstalmentStatus.DUE, due_date__lt=today)
            .order_by("due_date")
            .first()
        )
        if overdue is not None and grace_applies(policy, overdue):
            demanded = dt.datetime.combine(
                overdue.due_date + dt.timedelta(days=1), dt.time(9), tzinfo=profile.tz
            )
            overdue = demand_premium(instalment=overdue, actor=None, now=min(demanded, now))
        if plan.then in ("suspend", "lapse"):
            if overdue is None or overdue.grace_ends_on is None:
                raise CommandError(f"{plan.holder} {plan.product}: no demanded premium to suspend.")
            suspend_on = overdue.grace_ends_on + dt.timedelta(days=1)
            policy = suspend_for_arrears(
                actor=None,
                policy=policy,
                now=dt.datetime.combine(suspend_on, dt.time(1), tzinfo=profile.tz),
            )
            arrears = open_arrears(policy)
            if plan.then == "lapse" and arrears is not None and arrears.reinstate_by:
                terminate_on = arrears.reinstate_by + dt.timedelta(days=1)
                terminate_suspended_policy(
                    actor=None,
                    policy=policy,
                    now=dt.datetime.combine(terminate_on, dt.time(1), tzinfo=profile.tz),
                )
        return True

    def ensure_premium_stories(
        self, customers: dict[str, CustomerProfile], users: dict[str, Any], now: dt.datetime
    ) -> None:
        """The demand notice of every demo premium overdue in its grace period (a database made
        before demand notices existed gets them too), and Li Na's application to reinstate her
        suspended policy, two days old, waiting for an underwriter (IL Art. 37)."""
        holders = [customer.pk for customer in customers.values()]
        demanded = 0
        for instalment in PremiumInstalment.objects.filter(
            policy__policyholder__in=holders,
            policy__status=PolicyStatus.IN_FORCE,
            status=InstalmentStatus.DUE,
            demanded_at__isnull=True,
        ).select_related("policy__product_version__product"):
            policy = instalment.policy
            profile = get_profile(policy.jurisdiction)
            if instalment.due_date >= profile.today(now) or not grace_applies(policy, instalment):
                continue
            demanded_at = dt.datetime.combine(
                instalment.due_date + dt.timedelta(days=1), dt.time(9), tzinfo=profile.tz
            )
            demand_premium(instalment=instalment, actor=None, now=min(demanded_at, now))
            demanded += 1
        applied = 0
        suspended = Policy.objects.filter(
            policyholder=customers["Li Na"], status=PolicyStatus.SUSPENDED
        ).first()
        if (
            suspended is not None
            and not Reinstatement.objects.filter(arrears__policy=suspended).exists()
        ):
            apply_for_reinstatement(
                actor=users["dave"],
                policy=suspended,
                now=now - dt.timedelta(days=2),
                statement="Asked at the Guangzhou counter; the insured declares no change in "
                "health since the policy started.",
            )
            applied = 1
        self.stdout.write(
            f"    {demanded} demand notices sent now; {applied} reinstatement application made now"
        )

    def ensure_surrender(
        self, customers: dict[str, CustomerProfile], users: dict[str, Any], now: dt.datetime
    ) -> None:
        """Xu Li surrendered her critical-illness policy at the Tianjin counter three days ago;
        its cash value is still to pay (CN-14: within 30 days), so the refund is on the console's
        Premiums page, and her confirmation letter is in Chinese."""
        policy = Policy.objects.filter(
            policyholder=customers["Xu Li"], product_version__product__code=CI
        ).first()
        if policy is None or hasattr(policy, "surrender"):
            self.stdout.write("    the surrender is already there")
            return
        taken = now - dt.timedelta(days=3)
        refusal = why_not_surrender(policy, now=taken)
        if refusal is not None:
            self.stdout.write(f"    Xu Li's policy cannot be surrendered: {refusal}")
            return
        surrender = request_surrender(
            actor=users["dave"],
            policy=policy,
            now=taken,
            refund_account="中国工商银行，账号尾号 2208",  # noqa: RUF001
            reason="At the Tianjin counter: she has cover through her new employer.",
        )
        self.stdout.write(f"    {surrender.case.reference}: {policy.number} surrendered")

    def run_app_hook(self, app: str, now: dt.datetime) -> None:
        name = f"insuredesk.{app}.demo"
        if importlib.util.find_spec(f"insuredesk.{app}") is None:
            return
        if importlib.util.find_spec(name) is None:
            return
        load = getattr(importlib.import_module(name), "load", None)
        if load is None:
            return
        self.step(f"{app} demo data")
        load(stdout=self.stdout, now=now)

    def summary(self, now: dt.datetime) -> None:
        today = timezone.localdate(now)
        by_status = {
            status: Policy.objects.filter(status=status).count() for status in PolicyStatus.values
        }
        due_soon = (
            Policy.objects.filter(
                instalments__status=InstalmentStatus.DUE,
                instalments__due_date__gte=today,
                instalments__due_date__lte=today + dt.timedelta(days=10),
            )
            .distinct()
            .count()
        )
        statuses = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in by_status.items() if n)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: "
                f"{User.objects.count()} users, {CustomerProfile.objects.count()} customers, "
                f"{Product.objects.count()} products, {Clause.objects.count()} clauses "
                f"({Clause.objects.filter(kind='exemption').count()} exemption), "
                f"{Policy.objects.count()} policies ({statuses}); "
                f"{due_soon} with a premium due within 10 days."
            )
        )
        self.stdout.write("Logins: alice, mallory, dave, ursula, bob, sam, erin, carol, admin")
        self.stdout.write("Password for all: demo")
