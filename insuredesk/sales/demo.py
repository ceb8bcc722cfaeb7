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


def _exists(customer: CustomerProfile, product: str) -> bool:
    return Application.objects.filter(
        applicant=customer, product_version__product__code=product
    ).exists()


def load(*, stdout: TextIO, now: dt.datetime) -> None:
    dave = User.objects.get(username="dave")
    ursula = User.objects.get(username="ursula")
    # The named cast was created before the portfolio, whose random names may repeat theirs.
    people = {
        name: CustomerProfile.objects.filter(full_name=name).order_by("id").first()
        for name in ("Wang Fang", "Li Na", "Chen Jing")
    }
    mallory = CustomerProfile.objects.get(user__username="mallory")
    alice = CustomerProfile.objects.get(user__username="alice")
    today = get_profile("CN").today(now)
    made = 0

    if not _exists(mallory, "harbour-home"):
        services.submit_application(
            actor=mallory.user,
            product="harbour-home",
            insured_name=mallory.full_name,
            insured_date_of_birth=None,
            sum_insured="2000000",
            term_years=1,
            start_date=today + dt.timedelta(days=7),
            rating_inputs={
                "building_value": "1800000",
                "construction": "reinforced_concrete",
                "contents_value": "200000",
            },
            declarations=_declaration("home"),
            now=now,
        )
        made += 1

    if not _exists(alice, "harbour-critical-illness"):
        application = services.submit_application(
            actor=alice.user,
            product="harbour-critical-illness",
            insured_name=alice.full_name,
            insured_date_of_birth=alice.date_of_birth,
            sum_insured="300000",
            term_years=20,
            start_date=today,
            declarations=_declaration(
                "critical_illness",
                hospital_5y="Two nights in Ruijin Hospital in 2024 for a kidney stone; discharged "
                "without further treatment.",
            ),
            now=now,
        )
        services.request_exam(
            actor=ursula,
            application=application,
            reason="A hospital stay for a kidney stone in 2024: we check kidney function.",
            tests="Urine analysis, kidney function blood test, abdominal ultrasound",
            clinic="Ruijin Health Check Centre, 197 Ruijin Second Road, Shanghai",
            appointment_at=now + dt.timedelta(days=3, hours=1),
            now=now,
        )
        made += 1

    wang = people.get("Wang Fang")
    if wang is not None and not _exists(wang, "harbour-term-life"):
        services.submit_application(
            actor=dave,
            applicant=wang,
            channel="phone",
            product="harbour-term-life",
            insured_name=wang.full_name,
            insured_date_of_birth=wang.date_of_birth,
            sum_insured="200000",
            term_years=10,
            start_date=today,
            declarations=_declaration("term_life"),
            now=now,
        )
        made += 1

    li = people.get("Li Na")
    if li is not None and not _exists(li, "harbour-term-life"):
        services.submit_application(
            actor=dave,
            applicant=li,
            channel="in_person",
            product="harbour-term-life",
            insured_name=li.full_name,
            insured_date_of_birth=li.date_of_birth,
            sum_insured="1500000",
            term_years=20,
            start_date=today + dt.timedelta(days=14),
            declarations=_declaration("term_life"),
            now=now,
        )
        made += 1

    chen = people.get("Chen Jing")
    if chen is not None and not _exists(chen, "harbour-critical-illness"):
        application = services.submit_application(
            actor=dave,
            applicant=chen,
            channel="in_person",
            product="harbour-critical-illness",
            insured_name=chen.full_name,
            insured_date_of_birth=chen.date_of_birth,
            sum_insured="500000",
            term_years=10,
            start_date=today,
            declarations=_declaration(
                "critical_illness",
                serious_condition="Heart attack in 2021; two stents fitted; on medication since.",
            ),
            now=now,
        )
        services.decide(
            actor=ursula,
            application=application,
            decision=Decision.DECLINED,
            reasons=(
                "A heart attack within the last five years, treated with stents, is one of the "
                "illnesses this product pays for, so we cannot cover it now. We can look again "
                "once five years have passed without a further cardiac event."
            ),
            now=now,
        )
        made += 1

    stdout.write(f"sales: {made} demo applications added ({Application.objects.count()} in all)\n")
