"""Risk checks: assess a customer's risks from their answers and plan for them; fit the plan to
another budget."""

# ruff: noqa: RUF001 - the Chinese wording uses full-width punctuation, as Chinese does.

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from insuredesk.catalog.models import ProductVersion
from insuredesk.catalog.rating import decimal_input
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import has_role
from insuredesk.customers.selectors import customer_of
from insuredesk.errors import NotFound, NotPermitted, ValidationFailed
from insuredesk.planning import plan
from insuredesk.planning.assumptions import assumptions_for, assumptions_of
from insuredesk.planning.models import (
    CoverRecommendation,
    IdentifiedRisk,
    RiskAnswer,
    RiskAssessment,
)
from insuredesk.planning.questions import (
    BY_CODE,
    MAX_MONEY,
    QUESTIONS,
    QUESTIONS_VERSION,
    answer_words,
    read_answers,
    stored_value,
)
from insuredesk.planning.risks import Finding, identify_risks
from insuredesk.planning.selectors import versions_on_sale
from insuredesk.planning.thresholds import proposal_reasons
from insuredesk.policies.services import ISSUING_ROLES
from insuredesk.rules.registry import get_profile

# Staff who sell may go through a risk check with a customer; other staff only read them.
ASSESSING_ROLES = ISSUING_ROLES


def _who(actor, customer: CustomerProfile | None) -> tuple[CustomerProfile, Any]:
    """(customer, agent): a customer checks their own risks; staff who sell, a named customer's."""
    own = customer_of(actor)
    if own is not None:
        if customer is not None and customer.pk != own.pk:
            raise NotFound("No such customer.", field="customer")
        return own, None
    if not has_role(actor, *ASSESSING_ROLES):
        raise NotPermitted("Only customers and staff who sell go through a risk check.")
    if customer is None:
        raise ValidationFailed("Name the customer whose risks are checked.", field="customer")
    return customer, actor


def _budget(value: Any, field: str = "annual_budget") -> Decimal:
    amount = decimal_input(value, field)
    if amount < 0 or amount > MAX_MONEY:
        raise ValidationFailed(f"Give an amount from 0 to {MAX_MONEY:,.0f}.", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed("An amount has at most two decimals.", field=field)
    return amount.quantize(Decimal("0.01"))


def _plan_rows(
    risks: Sequence[Any],
    *,
    answers: Mapping[str, Any],
    versions: Mapping[str, ProductVersion],
    budget: Decimal,
    language: str,
    currency: str,
    treatments: Mapping[str, str],
) -> list[plan.Recommendation]:
    recommended = plan.recommend(
        risks, treatments=treatments, answers=answers, versions=versions, language=language
    )
    return plan.fit_to_budget(recommended, budget=budget, language=language, currency=currency)


def _recommendation_rows(
    assessment: RiskAssessment, recommendations: Sequence[plan.Recommendation]
) -> list[CoverRecommendation]:
    return [
        CoverRecommendation(
            assessment=assessment,
            position=position,
            product_version=rec.version,
            covers=list(rec.covers),
            term_years=rec.term_years,
            rating_inputs=dict(rec.rating_inputs),
            full_sum_insured=rec.full_sum_insured,
            full_premium=rec.full_premium,
            sum_insured=rec.sum_insured,
            premium=rec.premium,
            currency=assessment.currency,
            fit=rec.fit,
            notes=list(rec.notes),
        )
        for position, rec in enumerate(recommendations)
    ]


def assess_risks(
    *,
    actor,
    answers: Mapping[str, Any],
    now: dt.datetime,
    customer: CustomerProfile | None = None,
) -> RiskAssessment:
    """Identify a customer's risks from their answers and plan for them, in one go.

    1. A signed-in customer answers for themselves; staff who sell answer with a named customer.
    2. Every question that applies is answered (`questions.read_answers`); the words asked, in
       the customer's language, are kept beside the answers with the questions' version.
    3. The risks are identified by the rules of `risks.py`: likelihood, severity, exposure,
       existing cover, gap and the reasons, in the currency of the customer's jurisdiction.
    4. Each risk gets a treatment and its prevention measures; the risks to insure get a
       product on sale today, priced by `catalog.rating`, and are fitted to the budget.
    5. SVC-21 (the jurisdiction's profile) says whether a written proposal is owed, and why.
    Nothing is written unless every step succeeds.
    """
    customer, agent = _who(actor, customer)
    profile = get_profile(customer.jurisdiction)
    language, currency = customer.language, profile.currency
    typed = read_answers(answers)
    assumptions = assumptions_for(profile.code)
    findings = identify_risks(typed, currency=currency, language=language, assumptions=assumptions)
    versions = versions_on_sale(currency, profile.today(now))
    treatments = {
        f.code: plan.treatment_for(
            f, can_insure=plan.transferable(f.code, typed, versions), language=language
        )
        for f in findings
    }
    budget = typed["annual_budget"]
    recommendations = _plan_rows(
        findings,
        answers=typed,
        versions=versions,
        budget=budget,
        language=language,
        currency=currency,
        treatments={code: treatment for code, (treatment, _) in treatments.items()},
    )
    reasons = proposal_reasons(
        jurisdiction=profile.code,
        currency=currency,
        answers=typed,
        exposures=[(f.code, f.title, f.exposure) for f in findings],
        language=language,
    )
    with transaction.atomic(durable=True):
        assessment = RiskAssessment.objects.create(
            customer=customer,
            agent=agent,
            questions_version=QUESTIONS_VERSION,
            language=language,
            jurisdiction=profile.code,
            currency=currency,
            annual_budget=budget,
            premium_within_budget=plan.spent(recommendations),
            proposal_reasons=[reason.as_dict() for reason in reasons],
            assumptions=assumptions.as_dict(),
            priced_on=profile.today(now),
            created_at=now,
        )
        RiskAnswer.objects.bulk_create(
            RiskAnswer(
                assessment=assessment,
                position=position,
                code=question.code,
                area=question.area,
                question=question.text(language),
                answer=answer_words(question, typed[question.code], language),
                value=stored_value(typed[question.code]),
                questions_version=QUESTIONS_VERSION,
            )
            for position, question in enumerate(QUESTIONS)
            if question.code in typed
        )
        IdentifiedRisk.objects.bulk_create(
            _risk_row(
                assessment,
                position,
                finding,
                treatments[finding.code],
                typed,
                recommendations,
                assumptions.flood_share,
            )
            for position, finding in enumerate(findings)
        )
        CoverRecommendation.objects.bulk_create(_recommendation_rows(assessment, recommendations))
        if agent is not None:
            _tell_customer(assessment, now=now)
    return assessment


def _risk_row(
    assessment: RiskAssessment,
    position: int,
    finding: Finding,
    treatment: tuple[str, str],
    answers: Mapping[str, Any],
    recommendations: Sequence[plan.Recommendation],
    flood_share: Decimal,
) -> IdentifiedRisk:
    return IdentifiedRisk(
        assessment=assessment,
        position=position,
        code=finding.code,
        category=finding.category,
        title=finding.title,
        description=finding.description,
        likelihood=finding.likelihood,
        severity=finding.severity,
        score=finding.score,
        exposure=finding.exposure,
        existing_cover=finding.existing_cover,
        gap=finding.gap,
        uncovered=plan.uncovered(finding, recommendations, flood_share=flood_share),
        reasons=list(finding.reasons),
        treatment=treatment[0],
        treatment_reason=treatment[1],
        measures=plan.measures_of(finding.code, answers, assessment.language),
    )


def typed_answers(assessment: RiskAssessment) -> dict[str, Any]:
    """The assessment's answers as the rules read them, from what was stored."""
    return read_answers(
        {row.code: row.value for row in assessment.answers.all() if row.code in BY_CODE}
    )


def change_budget(
    *, actor, assessment: RiskAssessment, annual_budget: Any, now: dt.datetime
) -> RiskAssessment:
    """Fit the plan to another annual budget: "what if I could spend more, or less?".

    The answers and the identified risks stay as they were; the recommendations are priced
    again today and fitted to the new budget, and each risk's uncovered part follows. The
    customer's answer to the budget question stays on record as given.
    """
    own = customer_of(actor)
    if own is not None and own.pk != assessment.customer_id:
        raise NotFound("No such risk check.")
    if own is None and not has_role(actor, *ASSESSING_ROLES):
        raise NotPermitted("Only the customer and staff who sell change the plan's budget.")
    budget = _budget(annual_budget)
    profile = get_profile(assessment.jurisdiction)
    flood_share = assumptions_of(assessment.assumptions, assessment.jurisdiction).flood_share
    answers = typed_answers(assessment)
    risks = list(assessment.risks.all())
    versions = versions_on_sale(assessment.currency, profile.today(now))
    recommendations = _plan_rows(
        risks,
        answers=answers,
        versions=versions,
        budget=budget,
        language=assessment.language,
        currency=assessment.currency,
        treatments={risk.code: risk.treatment for risk in risks},
    )
    with transaction.atomic(durable=True):
        locked = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
        locked.recommendations.all().delete()
        CoverRecommendation.objects.bulk_create(_recommendation_rows(locked, recommendations))
        for risk in risks:
            risk.uncovered = plan.uncovered(risk, recommendations, flood_share=flood_share)
        IdentifiedRisk.objects.bulk_update(risks, ["uncovered"])
        locked.annual_budget = budget
        locked.premium_within_budget = plan.spent(recommendations)
        locked.priced_on = profile.today(now)
        locked.budget_changed_at = now
        locked.save(
            update_fields=[
                "annual_budget",
                "premium_within_budget",
                "priced_on",
                "budget_changed_at",
            ]
        )
    return locked


def _tell_customer(assessment: RiskAssessment, *, now: dt.datetime) -> None:
    from insuredesk.notifications.services import notify_customer

    chinese = assessment.language == "zh"
    needed = assessment.proposal_required
    if chinese:
        subject = "您的风险评估与保障规划"
        body = "我们与您一起完成的风险评估和保障规划已放在您的客户门户中。" + (
            "由于风险较大或较特殊，我们建议为您出具书面保险建议书。" if needed else ""
        )
    else:
        subject = "Your risk check and plan"
        body = "The risk check we went through with you, and the plan for your risks, are in " + (
            "your portal. Your risks are large or special enough for a written insurance "
            "proposal: you can ask for one there."
            if needed
            else "your portal."
        )
    notify_customer(
        assessment.customer,
        subject=subject,
        body=body,
        dedupe_key=f"risk-check:{assessment.public_id}",
        now=now,
    )
