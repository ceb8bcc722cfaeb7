"""Demo complaints for `insuredesk demo`: about eight months of CN and GB complaints, handled
through the real services (clocks, letters, outbox), with root causes, ratings and one
improvement plan verified with before/after numbers, so the analytics page has something to draw.

    from insuredesk.complaints import demo
    demo.load(stdout=sys.stdout, now=timezone.now())

Idempotent: a second run finds the demo plan and does nothing.
"""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group

from insuredesk.catalog.models import Product, ProductVersion
from insuredesk.complaints import services
from insuredesk.complaints.choices import Channel
from insuredesk.complaints.models import Complaint, ImprovementPlan, RootCause
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role
from insuredesk.errors import DomainError
from insuredesk.policies.models import Policy

PLAN_TITLE = "Explain the exemption clauses before the sale"
PASSWORD = "demo"  # the same as every other demo login
CUSTOMERS = [
    ("demo.li", "Li Na", "CN"),
    ("demo.wang", "Wang Fang", "CN"),
    ("demo.zhang", "Zhang Wei", "CN"),
    ("demo.chen", "Chen Jie", "CN"),
    ("demo.liu", "Liu Yang", "CN"),
    ("demo.zhao", "Zhao Min", "CN"),
    ("demo.oliver", "Oliver Smith", "GB"),
    ("demo.amelia", "Amelia Jones", "GB"),
    ("demo.harry", "Harry Taylor", "GB"),
]
# (category, root causes to pick from, service stage, what happened)
STORIES = [
    (
        "clause_explanation",
        ["exemption_not_explained"],
        "sale",
        "Nobody told me the policy excludes pre-existing conditions.",
    ),
    (
        "sales_conduct",
        ["exemption_not_explained", "staff_conduct"],
        "sale",
        "The agent said everything was covered and rushed me through the form.",
    ),
    (
        "claims_delay",
        ["service_delay", "process_error"],
        "claims",
        "My claim has been waiting for weeks with no news.",
    ),
    (
        "claims_refusal",
        ["unclear_term", "no_fault"],
        "claims",
        "My claim was refused under a clause I cannot understand.",
    ),
    (
        "claims_amount",
        ["no_fault", "unclear_term"],
        "claims",
        "The amount offered does not cover the repair quotes.",
    ),
    ("premium_billing", ["process_error"], "after_sale", "The premium was taken twice this month."),
    (
        "service_attitude",
        ["staff_conduct"],
        "after_sale",
        "The hotline agent was rude and hung up on me.",
    ),
    ("system", ["process_error"], "after_sale", "The portal kept logging me out while I paid."),
    (
        "underwriting",
        ["product_design"],
        "sale",
        "My application was loaded without any explanation.",
    ),
]


def load(*, stdout: TextIO, now: datetime, size: int = 45) -> dict[str, int]:
    """Create the demo complaints (once). Returns counts of what was made."""
    if ImprovementPlan.objects.filter(title=PLAN_TITLE).exists():
        stdout.write("complaints: demo already loaded\n")
        return {"complaints": 0}
    rng = random.Random(2026)
    erin = _staff("erin", Role.COMPLAINT_HANDLER)
    carol = _staff("carol", Role.SUPERVISOR)
    versions = _versions()
    customers = [
        _customer(u, name, j, versions, i, now) for i, (u, name, j) in enumerate(CUSTOMERS)
    ]
    plan_product = versions[0].product
    adopted = now - timedelta(days=110)
    made = {"complaints": 0, "resolved": 0, "open": 0, "late": 0, "letters": 0}
    before_causes = []

    for index in range(size):
        if index >= size - 6:  # a handful of fresh ones, still open in the queue
            received = now - timedelta(days=size - index, hours=rng.randint(0, 8))
        else:
            received = now - timedelta(days=240 * (size - index) / size, hours=rng.randint(0, 8))
        customer, policy = rng.choice(customers)
        before = received < adopted
        exemption = rng.random() < (0.45 if before else 0.08)
        story = STORIES[0] if exemption else rng.choice(STORIES[1:])
        if exemption:
            policy = _policy_of(customer, plan_product) or policy
        _complaint, cause = _handle(
            rng,
            customer=customer,
            policy=policy,
            story=story,
            received=received,
            now=now,
            erin=erin,
            carol=carol,
            made=made,
        )
        if cause is not None and before and cause.category == "exemption_not_explained":
            before_causes.append(cause)
    _plans(
        rng,
        now=now,
        adopted=adopted,
        causes=before_causes,
        product=plan_product,
        erin=erin,
        carol=carol,
    )
    stdout.write(
        f"complaints: {made['complaints']} demo complaints ({made['resolved']} resolved, "
        f"{made['open']} open, {made['late']} answered late), 2 improvement plans (1 verified); "
        f"staff erin / carol, customers demo.* — password {PASSWORD}\n"
    )
    return made


def _handle(
    rng: random.Random,
    *,
    customer: CustomerProfile,
    policy: Policy,
    story: tuple[str, list[str], str, str],
    received: datetime,
    now: datetime,
    erin: AbstractUser,
    carol: AbstractUser,
    made: dict[str, int],
) -> tuple[Complaint, RootCause | None]:
    category, causes, stage, text = story
    gb = customer.jurisdiction == "GB"
    channel = rng.choice(
        [
            Channel.PORTAL,
            Channel.PORTAL,
            Channel.API,
            Channel.PHONE,
            Channel.LETTER,
            Channel.REGULATOR,
        ]
    )
    actor = erin if channel in (Channel.PHONE, Channel.LETTER, Channel.REGULATOR) else customer.user
    complaint = services.submit_complaint(
        customer=customer,
        actor=actor,
        now=received,
        channel=channel,
        description=text,
        desired_outcome=rng.choice(
            [
                "An apology and a fix.",
                "Pay the claim in full.",
                "Refund the premium.",
                "An explanation in writing.",
            ]
        ),
        policy=policy,
    )
    made["complaints"] += 1
    step = received + timedelta(hours=2)
    services.assign_complaint(complaint=_fresh(complaint), assignee=erin, actor=erin, now=step)
    services.classify_complaint(
        complaint=_fresh(complaint),
        actor=erin,
        now=step,
        category=category,
        service_stage=stage,
        priority=rng.choice(["normal", "normal", "high", "low"]),
    )
    age = (now - received).days
    if age < 12:
        made["open"] += 1
        if not gb and rng.random() < 0.3:
            services.mark_complex(
                complaint=_fresh(complaint),
                actor=erin,
                now=step,
                reason="Needs the surveyor's report and the sales recording.",
            )
        return complaint, None
    if rng.random() < 0.05:
        services.withdraw_complaint(
            complaint=_fresh(complaint),
            actor=customer.user,
            now=received + timedelta(days=3),
            reason="Sorted out on the phone.",
        )
        return complaint, None

    late = rng.random() < 0.15
    summary = gb and not late and rng.random() < 0.3
    if summary:
        delay = timedelta(days=1)
    elif gb:
        delay = timedelta(days=rng.randint(58, 62) if late else rng.randint(10, 50))
    else:
        complex_case = rng.random() < 0.2 and age > 50
        if complex_case:
            services.mark_complex(
                complaint=_fresh(complaint),
                actor=erin,
                now=received + timedelta(days=5),
                reason="Two outside reports are needed.",
            )
            if rng.random() < 0.5:
                extension = services.request_extension(
                    complaint=_fresh(complaint),
                    days=30,
                    actor=erin,
                    now=received + timedelta(days=25),
                    reason="The hospital has not yet sent the medical file we asked for.",
                )
                services.approve_extension(
                    extension=extension,
                    actor=carol,
                    now=received + timedelta(days=26),
                    note="Agreed.",
                )
                delay = timedelta(days=rng.randint(35, 50))
            else:
                delay = timedelta(days=rng.randint(16, 29))
        else:
            delay = timedelta(days=rng.randint(17, 22) if late else rng.randint(3, 14))
    responded = received + delay
    if responded >= now - timedelta(hours=1):
        made["open"] += 1
        return complaint, None
    outcome = rng.choice(
        ["upheld", "upheld", "partly_upheld", "rejected", "rejected"]
        + (["redress_without_admission"] if gb else [])
    )
    redress = (
        ""
        if outcome == "rejected"
        else rng.choice(
            [
                "We have paid the claim in full.",
                "We refunded the duplicate premium.",
                "A written apology and CNY 300 for the trouble caused.",
            ]
        )
    )
    services.respond_to_complaint(
        complaint=_fresh(complaint),
        actor=erin,
        now=responded,
        outcome="upheld" if summary else outcome,
        findings="" if summary else "We checked the file, the recording and the clause wording.",
        basis="" if summary else "The policy terms and the sales records.",
        reasons="" if summary else "Set out in the findings above.",
        redress=redress or ("Resolved on the phone." if summary else ""),
        redress_amount=Decimal("300.00") if "300" in redress else None,
        summary=summary,
    )
    made["letters"] += 2
    made["late"] += int(late)
    cause = services.record_root_cause(
        complaint=_fresh(complaint),
        actor=erin,
        now=responded + timedelta(hours=1),
        category=rng.choice(causes),
        team=rng.choice(["Branch sales", "Claims desk", "Hotline", "Billing", "Digital"]),
    )
    resolved = responded + timedelta(days=1)
    if resolved < now:
        services.resolve_complaint(complaint=_fresh(complaint), actor=erin, now=resolved)
        made["resolved"] += 1
        if rng.random() < 0.7 and resolved + timedelta(days=2) < now:
            services.rate_complaint(
                complaint=_fresh(complaint),
                actor=customer.user,
                now=resolved + timedelta(days=2),
                score=rng.choice(
                    [5, 5, 4, 4, 4, 3, 2, 1] if outcome != "rejected" else [4, 3, 2, 2, 1]
                ),
                comment=rng.choice(["", "Quick and clear.", "Took too long.", "Fair."]),
            )
    return complaint, cause


def _plans(
    rng: random.Random,
    *,
    now: datetime,
    adopted: datetime,
    causes: list[RootCause],
    product: Product,
    erin: AbstractUser,
    carol: AbstractUser,
) -> None:
    plan = services.create_plan(
        actor=carol,
        now=adopted,
        adopted_at=adopted,
        title=PLAN_TITLE,
        deficiency="Agents did not explain the exemption clauses; customers learnt of them only "
        "when a claim was refused.",
        root_causes=causes,
        cause_categories=["exemption_not_explained"],
        products=[product],
        verification_date=(now - timedelta(days=3)).date(),
        measures=[
            {
                "description": "Rewrite the sales script so each exemption clause is read out and "
                "acknowledged.",
                "owner": carol,
                "due_date": (adopted + timedelta(days=20)).date(),
            },
            {
                "description": "Train every branch agent on the new script.",
                "owner": erin,
                "due_date": (adopted + timedelta(days=40)).date(),
            },
            {
                "description": "Highlight exemption clauses in the portal application form.",
                "owner": erin,
                "due_date": (adopted + timedelta(days=60)).date(),
            },
        ],
    )
    for measure, evidence, days in zip(
        plan.measures.order_by("due_date"),
        [
            "Script v3 approved 2 weeks after the plan; recording checks show it is used.",
            "Training records: 42 agents, all branches.",
            "Released in portal version 2.4; screenshot in the change ticket.",
        ],
        (18, 38, 55),
        strict=True,
    ):
        services.update_measure(
            measure=measure,
            actor=carol,
            now=adopted + timedelta(days=days),
            status="done",
            evidence=evidence,
        )
    services.verify_plan(
        plan=plan,
        actor=carol,
        now=now,
        effective=True,
        note="Complaints about unexplained exemptions fell after the new script.",
    )
    open_plan = services.create_plan(
        actor=carol,
        now=now - timedelta(days=40),
        adopted_at=now - timedelta(days=40),
        title="Answer claim enquiries within two working days",
        deficiency="Claimants chase us because nobody tells them where their claim stands.",
        cause_categories=["service_delay"],
        verification_date=(now + timedelta(days=60)).date(),
        measures=[
            {
                "description": "Weekly status message on every open claim.",
                "owner": erin,
                "due_date": (now - timedelta(days=10)).date(),
            }
        ],
    )
    del open_plan


def _fresh(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_related("case", "case__customer", "policy").get(pk=complaint.pk)


def _staff(username: str, role: Role) -> AbstractUser:
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@example.com", "first_name": username.capitalize()},
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    if hasattr(user, "_insuredesk_roles"):
        del user._insuredesk_roles
    return user


def _versions() -> list[ProductVersion]:
    if not Product.objects.exists():
        from insuredesk.catalog.loading import load_demo_catalogue

        load_demo_catalogue()
    versions = []
    for product in Product.objects.order_by("code"):
        version = product.versions.order_by("-version").first()
        if version is not None:
            versions.append(version)
    if not versions:
        raise DomainError("The demo needs at least one product in the catalogue.")
    return versions


def _customer(
    username: str,
    full_name: str,
    jurisdiction: str,
    versions: list[ProductVersion],
    index: int,
    now: datetime,
) -> tuple[CustomerProfile, Policy]:
    from insuredesk.customers.services import create_customer

    existing = CustomerProfile.objects.filter(user__username=username).first()
    if existing is None:
        user = _staff_free_user(username)
        existing = create_customer(
            full_name=full_name,
            email=f"{username}@example.com",
            phone="+86 138 0000 0000",
            user=user,
            date_of_birth=date(1980 + index, 3, 1 + index),
            region="Shanghai" if jurisdiction == "CN" else "London",
            jurisdiction=jurisdiction,
            address="8 Harbour Road",
        )
    policies = []
    # The products of the customer's own market (each is sold there only), any if it has none.
    own = [v for v in versions if v.product.market == jurisdiction] or versions
    for offset in range(2):
        version = own[(index + offset) % len(own)]
        number = f"DEMO-CMP-{index:02d}{offset}"
        policy = Policy.objects.filter(number=number).first() or Policy.objects.create(
            number=number,
            product_version=version,
            policyholder=existing,
            insured_name=full_name,
            sum_insured=Decimal("500000"),
            currency=version.currency,
            premium=Decimal("1800.00"),
            start_date=(now - timedelta(days=400)).date(),
            end_date=(now + timedelta(days=330)).date(),
            jurisdiction=jurisdiction,
            issued_at=now - timedelta(days=400),
        )
        policies.append(policy)
    return existing, policies[0]


def _staff_free_user(username: str) -> AbstractUser:
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com"}
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=Role.CUSTOMER.value)[0])
    return user


def _policy_of(customer: CustomerProfile, product: Product) -> Any:
    return Policy.objects.filter(policyholder=customer, product_version__product=product).first()
