"""Risk-planning pages: the risk check, the assessment with its matrix and plan, and written
proposals, in the portal (the customer's own) and the console (staff's work on them).

Views stay short: select what the user may see, read the form, call one service, redirect with
a message. When the service says no, nothing was written: the page is shown again with the
message beside the field it names, or on top of the page.
"""

# ruff: noqa: RUF001 - the Chinese wording uses full-width punctuation, as Chinese does.

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from insuredesk.casework.selectors import events_of
from insuredesk.casework.services import due_soon_lead, log_access, open_clock
from insuredesk.catalog.rating import age_on
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import has_role
from insuredesk.customers.selectors import get_customer_for
from insuredesk.errors import DomainError
from insuredesk.planning import charts, drafting, forms, services
from insuredesk.planning.applying import apply_url
from insuredesk.planning.choices import Area, ProposalStatus
from insuredesk.planning.models import Proposal, RiskAssessment
from insuredesk.planning.selectors import (
    assessments_of,
    assessments_visible_to,
    cover_in_force,
    get_assessment_for,
    get_proposal_for,
    proposal_queue,
    proposals_visible_to,
    vehicle_in_force,
    versions_on_sale,
)
from insuredesk.rules.registry import get_profile
from insuredesk.web.access import CustomerRequest, customer_required, staff_required

ASSESSED = "Your risk check is done: your risks and the plan for them are below."
ASSESSED_FOR_STAFF = "The risk check is done; the customer has it in their portal."
REQUESTED = "Proposal {reference} is requested; it is due by the date shown."


# --- shared pieces ---------------------------------------------------------------------------


def _check_form(request: HttpRequest, customer: CustomerProfile) -> forms.RiskCheckForm:
    """The risk check, with what we know already filled in (age, cover and car with us)."""
    today = get_profile(customer.jurisdiction).today(timezone.now())
    initial = forms.risk_check_initial(
        customer,
        age=age_on(customer.date_of_birth, today) if customer.date_of_birth else None,
        cover=cover_in_force(customer),
        vehicle=vehicle_in_force(customer),
    )
    return forms.RiskCheckForm(request.POST or None, language=customer.language, initial=initial)


def _assess(request: HttpRequest, form: forms.RiskCheckForm, **extra: Any) -> RiskAssessment | None:
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return services.assess_risks(
            actor=request.user, answers=form.answers(), now=timezone.now(), **extra
        )
    except DomainError as exc:
        form.refuse(exc)
        return None


def _assessment_page(assessment: RiskAssessment, *, staff: bool) -> dict[str, Any]:
    """What the portal and the console show of a risk check: the matrix, the cover chart, the
    risks with their treatment and measures, the plan, and the answers it rests on."""
    zh = assessment.language == "zh"
    risks = list(assessment.risks.all())
    number = assessment.customer.number if staff else ""
    recommendations = [
        {
            "rec": rec,
            "covers": [r.title for r in risks if r.code in rec.covers],
            "url": apply_url(
                product=rec.product_version.product.code,
                sum_insured=rec.sum_insured,
                term_years=rec.term_years,
                rating_inputs=rec.rating_inputs,
                customer_number=number,
            )
            if rec.can_apply
            else "",
        }
        for rec in assessment.recommendations.all()
    ]
    answers = list(assessment.answers.all())
    return {
        "assessment": assessment,
        "risks": risks,
        "matrix": charts.risk_matrix(
            [
                charts.MatrixPoint(n, r.title, r.likelihood, r.severity)
                for n, r in enumerate(risks, 1)
            ],
            title="风险矩阵" if zh else "Risk matrix",
            likelihood_label="可能性" if zh else "Likelihood",
            severity_label="严重程度（自担部分）" if zh else "Severity (what is left to you)",
        ),
        "cover_chart": charts.cover_chart(
            [
                charts.CoverBar(r.title, r.exposure, r.existing_cover, r.planned_cover, r.uncovered)
                for r in risks
            ],
            title="每项风险的保障情况" if zh else "What covers each risk",
            legend=("现有保障", "规划新增", "仍由您承担")
            if zh
            else ("Your cover now", "The plan adds", "Left to you"),
            currency=assessment.currency,
        ),
        "recommendations": recommendations,
        "uncovered": [r for r in risks if r.uncovered > 0],
        "answer_areas": [
            (area.label, [a for a in answers if a.area == area.value])
            for area in Area
            if any(a.area == area.value for a in answers)
        ],
        "proposal": getattr(assessment, "proposal", None),
    }


def _act(
    request: HttpRequest,
    *,
    form: forms.ServiceForm,
    call: Callable[[dict[str, Any]], object],
    done: str,
    back: str,
    page: Callable[[dict[str, forms.ServiceForm]], HttpResponse],
    name: str,
) -> HttpResponse:
    """Run one service with the form's input; on a refusal show the page with that form."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as exc:
            form.refuse(exc)
        else:
            messages.success(request, done)
            return redirect(back)
    return page({name: form})


# --- portal ----------------------------------------------------------------------------------


@customer_required
def portal_planning(request: CustomerRequest) -> HttpResponse:
    context = {
        "assessments": assessments_visible_to(request.user)[:50],
        "proposals": proposals_visible_to(request.user)[:50],
    }
    return render(request, "planning/portal_planning.html", context)


@customer_required
def portal_risk_check(request: CustomerRequest) -> HttpResponse:
    form = _check_form(request, request.customer)
    assessment = _assess(request, form)
    if assessment is not None:
        messages.success(request, ASSESSED)
        return redirect("portal:risk-assessment", assessment.public_id)
    return render(
        request,
        "planning/risk_check.html",
        {"form": form, "base": "portal/base.html", "portal": True, "customer": request.customer},
    )


def _portal_assessment(
    request: HttpRequest, public_id, failed: dict[str, forms.ServiceForm] | None = None
) -> HttpResponse:
    assessment = get_assessment_for(request.user, public_id)
    context = {
        **_assessment_page(assessment, staff=False),
        "base": "portal/base.html",
        "portal": True,
        "forms": {
            "budget": forms.BudgetForm(initial={"annual_budget": assessment.annual_budget}),
            "proposal": forms.RequestProposalForm(),
            **(failed or {}),
        },
        # SVC-21: the customer asks for the written proposal the rules call for.
        "can_request": assessment.proposal_required and not hasattr(assessment, "proposal"),
    }
    return render(request, "planning/assessment.html", context)


@customer_required
def portal_assessment(request: HttpRequest, public_id) -> HttpResponse:
    return _portal_assessment(request, public_id)


@customer_required
@require_POST
def portal_budget(request: HttpRequest, public_id) -> HttpResponse:
    assessment = get_assessment_for(request.user, public_id)
    return _act(
        request,
        form=forms.BudgetForm(request.POST),
        call=lambda data: services.change_budget(
            actor=request.user,
            assessment=assessment,
            annual_budget=data["annual_budget"],
            now=timezone.now(),
        ),
        done="Your plan is fitted to the new budget.",
        back=reverse("portal:risk-assessment", args=[assessment.public_id]) + "#plan",
        page=lambda failed: _portal_assessment(request, public_id, failed),
        name="budget",
    )


@customer_required
@require_POST
def portal_request_proposal(request: HttpRequest, public_id) -> HttpResponse:
    assessment = get_assessment_for(request.user, public_id)
    form = forms.RequestProposalForm(request.POST)
    if form.is_valid():
        try:
            proposal = services.request_proposal(
                actor=request.user,
                assessment=assessment,
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except DomainError as exc:
            form.refuse(exc)
        else:
            messages.success(request, REQUESTED.format(reference=proposal.reference))
            return redirect("portal:proposal", proposal.reference)
    return _portal_assessment(request, public_id, {"proposal": form})


def _proposal_page(proposal: Proposal, *, for_customer: bool) -> dict[str, Any]:
    case = proposal.case
    clock = open_clock(case, "deliver")
    options = list(proposal.options.all())
    chosen = next((o for o in options if o.chosen), None)
    applications = list(
        case.applications_arising.select_related("case", "policy").order_by("submitted_at")
    )
    return {
        "deliver_by": clock.due_date if clock else None,
        "proposal": proposal,
        "case": case,
        "assessment": proposal.assessment,
        "options": options,
        # After acceptance: the applications made for the chosen option, and the way to apply
        # while none is under way (one declined or withdrawn may be followed by another).
        "applications": applications,
        "apply_link": apply_url(
            product=chosen.product_version.product.code,
            sum_insured=chosen.sum_insured,
            term_years=chosen.term_years,
            rating_inputs=chosen.rating_inputs,
            customer_number="" if for_customer else proposal.customer.number,
            origin=proposal.reference,
        )
        if chosen is not None
        and case.status == ProposalStatus.ACCEPTED
        and not any(a.case.is_open or a.policy_id for a in applications)
        else "",
        "events": events_of(case, for_customer=for_customer),
        # The draft is the insurer's until approved: the customer sees the issued proposal.
        "show_content": not for_customer
        or case.status
        not in (
            ProposalStatus.REQUESTED,
            ProposalStatus.DRAFTED,
        ),
    }


@customer_required
def portal_proposal(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = get_proposal_for(request.user, reference)
    assessment = get_assessment_for(request.user, proposal.assessment.public_id)
    context = {
        **_proposal_page(proposal, for_customer=True),
        "matrix": _assessment_page(assessment, staff=False)["matrix"],
        "can_answer": proposal.status == ProposalStatus.ISSUED,
        "can_withdraw": proposal.status in (ProposalStatus.REQUESTED, ProposalStatus.DRAFTED),
    }
    return render(request, "planning/portal_proposal.html", context)


def _accept(
    request: HttpRequest, reference: str, *, back: str, customer_number: str = ""
) -> HttpResponse:
    """Accept the chosen option and go on to apply for it, the form filled in from it."""
    proposal = get_proposal_for(request.user, reference)
    form = forms.AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the options.")
        return redirect(back, reference)
    try:
        chosen = services.accept_proposal(
            actor=request.user,
            proposal=proposal,
            option=form.cleaned_data["option"],
            now=timezone.now(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back, reference)
    messages.success(
        request,
        f"You chose {chosen.label}. Apply for it below: the form is filled in from the proposal."
        if not customer_number
        else f"The customer chose {chosen.label}; apply with them below.",
    )
    return redirect(
        apply_url(
            product=chosen.product_version.product.code,
            sum_insured=chosen.sum_insured,
            term_years=chosen.term_years,
            rating_inputs=chosen.rating_inputs,
            customer_number=customer_number,
            origin=proposal.reference,
        )
    )


def _answer(
    request: HttpRequest, reference: str, service: Callable, *, done: str, back: str
) -> HttpResponse:
    """Decline or withdraw, with an optional reason; the outcome as a message."""
    proposal = get_proposal_for(request.user, reference)
    try:
        service(
            actor=request.user,
            proposal=proposal,
            reason=request.POST.get("reason", ""),
            now=timezone.now(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(back, reference)


@customer_required
@require_POST
def portal_proposal_accept(request: HttpRequest, reference: str) -> HttpResponse:
    return _accept(request, reference, back="portal:proposal")


@customer_required
@require_POST
def portal_proposal_decline(request: HttpRequest, reference: str) -> HttpResponse:
    return _answer(
        request,
        reference,
        services.decline_proposal,
        done="You declined the proposal.",
        back="portal:proposal",
    )


@customer_required
@require_POST
def portal_proposal_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    return _answer(
        request,
        reference,
        services.withdraw_proposal,
        done="Your request is withdrawn.",
        back="portal:proposal",
    )


# --- console: a customer's risk checks -----------------------------------------------------


def customer_section(customer: CustomerProfile) -> dict:
    """For the console customer page's `customer_sections`: risk checks and proposals."""
    return {
        "template": "planning/customer_section.html",
        "customer": customer,
        "assessments": assessments_of(customer)[:5],
    }


@staff_required()
def console_customer_planning(request: HttpRequest, number: str) -> HttpResponse:
    customer = get_customer_for(request.user, number)
    context = {
        "customer": customer,
        "assessments": assessments_visible_to(request.user).filter(customer=customer)[:100],
        "proposals": proposals_visible_to(request.user).filter(customer=customer)[:100],
        "can_assess": has_role(request.user, *services.ASSESSING_ROLES),
    }
    return render(request, "planning/console_customer.html", context)


@staff_required(*services.ASSESSING_ROLES)
def console_risk_check(request: HttpRequest, number: str) -> HttpResponse:
    customer = get_customer_for(request.user, number)
    form = _check_form(request, customer)
    assessment = _assess(request, form, customer=customer)
    if assessment is not None:
        messages.success(request, ASSESSED_FOR_STAFF)
        return redirect("console:risk-assessment", assessment.public_id)
    return render(
        request,
        "planning/risk_check.html",
        {"form": form, "base": "console/base.html", "portal": False, "customer": customer},
    )


def _console_assessment(
    request: HttpRequest, public_id, failed: dict[str, forms.ServiceForm] | None = None
) -> HttpResponse:
    assessment = get_assessment_for(request.user, public_id)
    selling = has_role(request.user, *services.ASSESSING_ROLES)
    context = {
        **_assessment_page(assessment, staff=True),
        "base": "console/base.html",
        "portal": False,
        "forms": {
            "budget": forms.BudgetForm(initial={"annual_budget": assessment.annual_budget}),
            "proposal": forms.RequestProposalForm(),
            **(failed or {}),
        },
        "can_request": selling and not hasattr(assessment, "proposal"),
        "can_rebudget": selling,
    }
    return render(request, "planning/assessment.html", context)


@staff_required()
def console_assessment(request: HttpRequest, public_id) -> HttpResponse:
    return _console_assessment(request, public_id)


@staff_required(*services.ASSESSING_ROLES)
@require_POST
def console_budget(request: HttpRequest, public_id) -> HttpResponse:
    assessment = get_assessment_for(request.user, public_id)
    return _act(
        request,
        form=forms.BudgetForm(request.POST),
        call=lambda data: services.change_budget(
            actor=request.user,
            assessment=assessment,
            annual_budget=data["annual_budget"],
            now=timezone.now(),
        ),
        done="The plan is fitted to the new budget.",
        back=reverse("console:risk-assessment", args=[assessment.public_id]) + "#plan",
        page=lambda failed: _console_assessment(request, public_id, failed),
        name="budget",
    )


@staff_required(*services.ASSESSING_ROLES)
@require_POST
def console_request_proposal(request: HttpRequest, public_id) -> HttpResponse:
    assessment = get_assessment_for(request.user, public_id)
    form = forms.RequestProposalForm(request.POST)
    if form.is_valid():
        try:
            proposal = services.request_proposal(
                actor=request.user,
                assessment=assessment,
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except DomainError as exc:
            form.refuse(exc)
        else:
            messages.success(request, REQUESTED.format(reference=proposal.reference))
            return redirect("console:proposal", proposal.reference)
    return _console_assessment(request, public_id, {"proposal": form})


# --- console: proposals ----------------------------------------------------------------------


@staff_required()
def console_proposals(request: HttpRequest) -> HttpResponse:
    filters = forms.ProposalFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    rows = list(proposal_queue(request.user, status=status).prefetch_related("case__clocks")[:200])
    now, lead = timezone.now(), due_soon_lead()
    queue = []
    for proposal in rows:
        open_clocks = [
            c for c in proposal.case.clocks.all() if c.stopped_at is None and c.state != "cancelled"
        ]
        clock = min(open_clocks, key=lambda c: c.deadline, default=None)
        queue.append((proposal, clock, clock.display_state(now, lead) if clock else ""))
    return render(request, "planning/console_proposals.html", {"queue": queue, "filters": filters})


def _console_proposal(
    request: HttpRequest, reference: str, failed: dict[str, forms.ServiceForm] | None = None
) -> HttpResponse:
    proposal = get_proposal_for(request.user, reference)
    now = timezone.now()
    log_access(proposal.case, user=request.user, now=now, what="proposal")
    status = proposal.status
    assessment = get_assessment_for(request.user, proposal.assessment.public_id)
    page = _assessment_page(assessment, staff=True)
    versions = versions_on_sale(
        assessment.currency, get_profile(assessment.jurisdiction).today(now)
    )
    draft = failed.get("draft") if failed else None
    if draft is None:
        draft = forms.DraftForm(versions=list(versions.values()), initial=_draft_initial(proposal))
    drafting_allowed = has_role(request.user, *services.DRAFTING_ROLES)
    approving = has_role(request.user, *services.APPROVING_ROLES)
    context = {
        **_proposal_page(proposal, for_customer=False),
        "assessment_page": page,
        "matrix": page["matrix"],
        "forms": {"draft": draft, "return": forms.ReasonForm(), **(failed or {})},
        "clocks": [
            (c, c.display_state(now, due_soon_lead()))
            for c in proposal.case.clocks.exclude(state="cancelled").order_by("-started_at")
        ],
        # Which action forms to offer; the services check again and say why not.
        "can_draft": drafting_allowed
        and status in (ProposalStatus.REQUESTED, ProposalStatus.DRAFTED),
        "can_approve": approving
        and status == ProposalStatus.DRAFTED
        and proposal.drafted_by_id != request.user.pk,
        "drafter_is_me": proposal.drafted_by_id == request.user.pk,
        "can_withdraw": drafting_allowed
        and status in (ProposalStatus.REQUESTED, ProposalStatus.DRAFTED),
        "can_answer": drafting_allowed and status == ProposalStatus.ISSUED,
    }
    return render(request, "planning/console_proposal.html", context)


def _draft_initial(proposal: Proposal) -> dict[str, Any]:
    """The draft as written, or a first draft made from the risk check."""
    if proposal.drafted_at is not None:
        options = [
            drafting.SuggestedOption(
                o.label, o.product_version.product.code, o.sum_insured, o.term_years, o.notes
            )
            for o in proposal.options.all()
        ]
        texts = {
            "findings": proposal.findings,
            "prevention_scheme": proposal.prevention_scheme,
            "resolution_scheme": proposal.resolution_scheme,
            "market_factors": proposal.market_factors,
        }
        return forms.draft_initial(texts, options)
    assessment = proposal.assessment
    texts = {
        "findings": drafting.findings_text(assessment),
        "prevention_scheme": drafting.prevention_text(assessment),
        "resolution_scheme": drafting.resolution_text(assessment),
        "market_factors": drafting.market_text(assessment),
    }
    return forms.draft_initial(texts, drafting.suggested_options(assessment))


@staff_required()
def console_proposal(request: HttpRequest, reference: str) -> HttpResponse:
    return _console_proposal(request, reference)


@staff_required(*services.DRAFTING_ROLES)
@require_POST
def console_draft(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = get_proposal_for(request.user, reference)
    currency = proposal.assessment.currency
    today = get_profile(proposal.case.jurisdiction).today(timezone.now())
    form = forms.DraftForm(request.POST, versions=list(versions_on_sale(currency, today).values()))
    return _act(
        request,
        form=form,
        call=lambda _: services.draft_proposal(
            actor=request.user, proposal=proposal, now=timezone.now(), **form.draft()
        ),
        done="The draft is saved; a supervisor approves it before it goes out.",
        back=reverse("console:proposal", args=[reference]),
        page=lambda failed: _console_proposal(request, reference, failed),
        name="draft",
    )


@staff_required(*services.APPROVING_ROLES)
@require_POST
def console_return(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = get_proposal_for(request.user, reference)
    return _act(
        request,
        form=forms.ReasonForm(request.POST),
        call=lambda data: services.return_proposal(
            actor=request.user, proposal=proposal, reason=data["reason"], now=timezone.now()
        ),
        done="The draft is returned to the agent with your reasons.",
        back=reverse("console:proposal", args=[reference]),
        page=lambda failed: _console_proposal(request, reference, failed),
        name="return",
    )


@staff_required(*services.APPROVING_ROLES)
@require_POST
def console_approve(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = get_proposal_for(request.user, reference)
    try:
        services.approve_proposal(actor=request.user, proposal=proposal, now=timezone.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Approved: the proposal is issued and sent to the customer.")
    return redirect("console:proposal", reference)


@staff_required(*services.DRAFTING_ROLES)
@require_POST
def console_proposal_accept(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = get_proposal_for(request.user, reference)
    return _accept(
        request, reference, back="console:proposal", customer_number=proposal.customer.number
    )


@staff_required(*services.DRAFTING_ROLES)
@require_POST
def console_proposal_decline(request: HttpRequest, reference: str) -> HttpResponse:
    return _answer(
        request,
        reference,
        services.decline_proposal,
        done="Recorded: the customer declined.",
        back="console:proposal",
    )


@staff_required(*services.DRAFTING_ROLES)
@require_POST
def console_proposal_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    return _answer(
        request,
        reference,
        services.withdraw_proposal,
        done="The proposal is withdrawn.",
        back="console:proposal",
    )
