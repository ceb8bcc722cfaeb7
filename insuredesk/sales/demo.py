"""Demo applications for `insuredesk demo`: one of each state an underwriter and a customer meet.

- Mallory applied online for home cover with a clean declaration: offered at standard terms,
  waiting for her to acknowledge the exemption clauses (CN-02) and accept.
- Alice applied for critical illness and declared a hospital stay: Ursula asked for the free
  medical examination, booked for three days ahead.
- Wang Fang applied by phone through Dave for term life: offered, but a phone sale must be
  recorded before issue (CN-12), so it waits in the console for the recording.
- Li Na applied for term life above her non-medical limit: with the underwriter to decide.
- Chen Jing declared an earlier heart condition: Ursula declined it with a written notice.

Each is looked up by applicant and product before it is created, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.contrib.auth import get_user_model

from insuredesk.catalog.models import Product
from insuredesk.customers.models import CustomerProfile
from insuredesk.rules.registry import get_profile
from insuredesk.sales import services
from insuredesk.sales.choices import Decision
from insuredesk.sales.models import Application
from insuredesk.sales.questions import questions_for

User = get_user_model()


def _declaration(line: str, **yes: str) -> dict:
    answers: dict = {q.code: {"answer": False} for q in questions_for(line)}
    for code, details in yes.items():
        answers[code] = {"answer": True, "details": details}
    return answers


def _apply(
    customer: CustomerProfile | None,
    product: str,
    *,
    actor,
    now: dt.datetime,
    declared: dict[str, str] | None = None,
    **terms,
) -> Application | None:
    """The customer applies for themselves, unless they already have (then None)."""
    if (
        customer is None
        or Application.objects.filter(
            applicant=customer, product_version__product__code=product
        ).exists()
    ):
        return None
    line = Product.objects.get(code=product).line
    return services.submit_application(
        actor=actor,
        applicant=None if actor == customer.user else customer,
        product=product,
        insured_name=customer.full_name,
        insured_date_of_birth=customer.date_of_birth,
        declarations=_declaration(line, **(declared or {})),
        now=now,
        **terms,
    )


def load(*, stdout: TextIO, now: dt.datetime) -> None:
    dave = User.objects.get(username="dave")
    ursula = User.objects.get(username="ursula")
    # The named cast was created before the portfolio, whose random names may repeat theirs.
    named = {
        name: CustomerProfile.objects.filter(full_name=name).order_by("id").first()
        for name in ("Wang Fang", "Li Na", "Chen Jing")
    }
    mallory = CustomerProfile.objects.get(user__username="mallory")
    alice = CustomerProfile.objects.get(user__username="alice")
    today = get_profile("CN").today(now)
    made = [
        _apply(
            mallory,
            "harbour-home",
            actor=mallory.user,
            now=now,
            sum_insured="2000000",
            term_years=1,
            start_date=today + dt.timedelta(days=7),
            rating_inputs={
                "building_value": "1800000",
                "construction": "reinforced_concrete",
                "contents_value": "200000",
            },
        )
    ]

    kidney_stone = _apply(
        alice,
        "harbour-critical-illness",
        actor=alice.user,
        now=now,
        sum_insured="300000",
        term_years=20,
        start_date=today,
        declared={
            "hospital_5y": "Two nights in Ruijin Hospital in 2024 for a kidney stone; "
            "discharged without further treatment."
        },
    )
    if kidney_stone is not None:
        services.request_exam(
            actor=ursula,
            application=kidney_stone,
            reason="A hospital stay for a kidney stone in 2024: we check kidney function.",
            tests="Urine analysis, kidney function blood test, abdominal ultrasound",
            clinic="Ruijin Health Check Centre, 197 Ruijin Second Road, Shanghai",
            appointment_at=now + dt.timedelta(days=3, hours=1),
            now=now,
        )
    made.append(kidney_stone)

    made.append(
        _apply(
            named["Wang Fang"],
            "harbour-term-life",
            sum_insured="200000",
            term_years=10,
            start_date=today,
            actor=dave,
            channel="phone",
            now=now,
        )
    )
    made.append(
        _apply(
            named["Li Na"],
            "harbour-term-life",
            sum_insured="1500000",  # above her non-medical limit: the underwriter decides
            term_years=20,
            start_date=today + dt.timedelta(days=14),
            actor=dave,
            channel="in_person",
            now=now,
        )
    )
    heart = _apply(
        named["Chen Jing"],
        "harbour-critical-illness",
        sum_insured="500000",
        term_years=10,
        start_date=today,
        declared={
            "serious_condition": "Heart attack in 2021; two stents fitted; on medication since."
        },
        actor=dave,
        channel="in_person",
        now=now,
    )
    if heart is not None:
        services.decide(
            actor=ursula,
            application=heart,
            decision=Decision.DECLINED,
            reasons=(
                "A heart attack within the last five years, treated with stents, is one of the "
                "illnesses this product pays for, so we cannot cover it now. We can look again "
                "once five years have passed without a further cardiac event."
            ),
            now=now,
        )
    made.append(heart)

    added = sum(application is not None for application in made)
    stdout.write(f"sales: {added} demo applications added ({Application.objects.count()} in all)\n")
