"""Complaint pages: the portal (submit, follow, letters, rate, withdraw) and the console
(workspace, extension approvals, improvement plans, analytics)."""

import csv
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypedDict

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from insuredesk.casework import selectors as casework_selectors
from insuredesk.casework.models import Case, Clock
from insuredesk.casework.services import due_soon_lead, log_access
from insuredesk.complaints import charts, selectors, services
from insuredesk.complaints.analytics import Report, Row, complaint_report, report_rows
from insuredesk.complaints.choices import (
    KIND,
    AttachmentKind,
    Channel,
    ComplainantRole,
    HeldDocument,
    MeasureStatus,
    Outcome,
    Priority,
    RootCauseCategory,
    ServiceStage,
)
from insuredesk.complaints.models import Complaint
from insuredesk.complaints.services.common import HANDLER_ROLES, SUPERVISOR_ROLES
from insuredesk.customers.roles import Role, has_role
from insuredesk.customers.selectors import staff_users
from insuredesk.documents.selectors import letters_for_case
from insuredesk.errors import DomainError
from insuredesk.web.access import CustomerRequest, customer_required, staff_required

HANDLERS = (Role.COMPLAINT_HANDLER,)


class Handling(TypedDict):
    """What every console operation on a complaint passes its service."""

    complaint: Complaint
    actor: AbstractBaseUser | AnonymousUser
    now: datetime


def _error(request: HttpRequest, exc: DomainError) -> None:
    field = exc.details.get("field")
    rule = exc.details.get("rule")
    extra = "".join([f" [{field}]" if field else "", f" ({rule})" if rule else ""])
    messages.error(request, f"{exc.message}{extra}")


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    try:
        action()
    except DomainError as exc:
        _error(request, exc)
        return False
    messages.success(request, success)
    return True


def _files(request: HttpRequest) -> list[services.NewAttachment]:
    attached = []
    for kind in AttachmentKind.values:
        for upload in request.FILES.getlist(f"file_{kind}"):
            attached.append(services.NewAttachment(kind=kind, upload=upload))
    return attached


def _clocks(case: Case) -> list[tuple[Clock, str]]:
    now, lead = timezone.now(), due_soon_lead()
    return [(c, c.display_state(now, lead)) for c in case.clocks.all()]


# --- portal ------------------------------------------------------------------------------------


@customer_required
def portal_list(request: HttpRequest) -> HttpResponse:
    complaints = selectors.complaints_visible_to(request.user).order_by("-received_at")[:100]
    return render(request, "complaints/portal_list.html", {"complaints": complaints})


@customer_required
def portal_new(request: CustomerRequest) -> HttpResponse:
    from insuredesk.policies.selectors import policies_visible_to

    policies = policies_visible_to(request.user)
    if request.method == "POST":
        post = request.POST
        policy = selectors.policy_of(request.customer, post.get("policy", "")) or None
        representatives = [
            {"full_name": line.strip()}
            for line in post.get("representatives", "").splitlines()
            if line.strip()
        ]
        holder: dict[str, Any] = {}

        def submit() -> None:
            holder["complaint"] = services.submit_complaint(
                customer=request.customer,
                actor=request.user,
                now=timezone.now(),
                channel=Channel.PORTAL,
                description=post.get("description", ""),
                desired_outcome=post.get("desired_outcome", ""),
                complainant_role=post.get("complainant_role") or ComplainantRole.CUSTOMER,
                complainant_name=post.get("complainant_name", ""),
                authority_evidence=post.get("authority_evidence", ""),
                policy=policy,
                is_group=bool(post.get("is_group")),
                representatives=representatives,
                attachments=_files(request),
            )

        if _run(request, submit, "Thank you. We have received your complaint."):
            return redirect("portal:complaint-detail", holder["complaint"].reference)
    return render(
        request,
        "complaints/portal_new.html",
        {"policies": policies, "roles": ComplainantRole.choices, "post": request.POST},
    )


@customer_required
def portal_detail(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = selectors.complaint_detail(selectors.get_complaint_for(request.user, reference))
    return render(
        request,
        "complaints/portal_detail.html",
        {
            "complaint": complaint,
            "case": complaint.case,
            "events": casework_selectors.events_of(complaint.case, for_customer=True),
            "letters": letters_for_case(complaint.case),
            "clock": next(
                (c for c, _ in _clocks(complaint.case) if c.name in ("decide", "final_response")),
                None,
            ),
            "rating": getattr(complaint, "rating", None),
        },
    )


@customer_required
@require_POST
def portal_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    complaint = selectors.get_complaint_for(request.user, reference)
    now, post = timezone.now(), request.POST
    if action == "withdraw":
        _run(
            request,
            lambda: services.withdraw_complaint(
                complaint=complaint, actor=request.user, now=now, reason=post.get("reason", "")
            ),
            "Your complaint is withdrawn and closed.",
        )
    elif action == "rate":
        try:
            score = int(post.get("score", "0"))
        except ValueError:
            score = 0
        _run(
            request,
            lambda: services.rate_complaint(
                complaint=complaint,
                score=score,
                comment=post.get("comment", ""),
                actor=request.user,
                now=now,
            ),
            "Thank you for your rating.",
        )
    elif action == "attach":

        def attach() -> None:
            files = _files(request)
            if not files:
                raise DomainError("Choose a file.", field="file")
            for item in files:
                services.add_attachment(
                    complaint=complaint, attachment=item, actor=request.user, now=now
                )

        _run(request, attach, "File added.")
    else:
        raise Http404("No such action.")
    return redirect("portal:complaint-detail", reference)


# --- console -----------------------------------------------------------------------------------


@staff_required(*HANDLERS)
def console_list(request: HttpRequest) -> HttpResponse:
    everyone = request.GET.get("everyone") == "1"
    cases = casework_selectors.work_queue(request.user, everyone=everyone, kind=KIND)[:200]
    complaints = {
        c.case_id: c
        for c in selectors.complaints_visible_to(request.user).filter(case__in=list(cases))
    }
    now, lead = timezone.now(), due_soon_lead()
    rows = []
    for case in cases:
        clocks = sorted(case.clocks.all(), key=lambda c: c.deadline)
        rows.append(
            {
                "case": case,
                "complaint": complaints.get(case.pk),
                "clock": clocks[0] if clocks else None,
                "state": clocks[0].display_state(now, lead) if clocks else "",
            }
        )
    supervisor = has_role(request.user, *SUPERVISOR_ROLES)
    return render(
        request,
        "complaints/console_list.html",
        {
            "rows": rows,
            "everyone": everyone,
            "overdue": selectors.overdue_measures(request.user, now=now),
            "pending": selectors.pending_extensions().count() if supervisor else 0,
        },
    )


@staff_required()
def console_detail(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = selectors.complaint_detail(selectors.get_complaint_for(request.user, reference))
    log_access(complaint.case, user=request.user, now=timezone.now(), what="complaint page")
    version = complaint.product_version
    return render(
        request,
        "complaints/console_detail.html",
        {
            "complaint": complaint,
            "case": complaint.case,
            "events": casework_selectors.events_of(complaint.case, for_customer=False),
            "clocks": _clocks(complaint.case),
            "letters": letters_for_case(complaint.case),
            "categories": selectors.categories(),
            "clauses": version.clauses.all() if version else [],
            "stages": ServiceStage.choices,
            "priorities": Priority.choices,
            "outcomes": [c for c in Outcome.choices if c[0] != Outcome.RESOLVED_SUMMARY],
            "causes": RootCauseCategory.choices,
            "documents": HeldDocument.choices,
            "held": services.held_documents(complaint),
            "handlers": staff_users(*[r.value for r in HANDLER_ROLES]),
            "root_cause": getattr(complaint, "root_cause", None),
            "can_approve": has_role(request.user, *SUPERVISOR_ROLES),
            "pending_extension": next(
                (e for e in complaint.extensions.all() if e.status == "requested"), None
            ),
        },
    )


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value.strip() else None
    except InvalidOperation:
        return Decimal("-1")  # refused by the service, naming the field


@staff_required()
@require_POST
def console_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """One POST per operation; the form's fields go to one service, which validates them."""
    complaint = selectors.get_complaint_for(request.user, reference)
    actor, now, post = request.user, timezone.now(), request.POST
    common: Handling = {"complaint": complaint, "actor": actor, "now": now}
    version = int(post["product_version"]) if post.get("product_version", "").isdigit() else None
    operations: dict[str, tuple[Callable[[], Any], str]] = {
        "acknowledge": (lambda: services.acknowledge_complaint(**common), "Acknowledged."),
        "classify": (
            lambda: services.classify_complaint(
                **common,
                category=post.get("category", ""),
                clause=post.get("clause") or None,
                service_stage=post.get("service_stage", ""),
                priority=post.get("priority") or None,
            ),
            "Classified.",
        ),
        "assign": (
            lambda: services.assign_complaint(
                **common,
                assignee=services.find_assignee(post["assignee"]) if post.get("assignee") else None,
            ),
            "Assigned.",
        ),
        "complex": (
            lambda: services.mark_complex(**common, reason=post.get("reason", "")),
            "Marked complex: 30 days (CN-28.complex).",
        ),
        "extend": (
            lambda: services.request_extension(
                **common, days=int(post.get("days") or 0), reason=post.get("reason", "")
            ),
            "Extension requested; a supervisor will decide.",
        ),
        "appraisal-start": (
            lambda: services.start_appraisal(
                **common, appraiser=post.get("appraiser", ""), reason=post.get("reason", "")
            ),
            "Clock paused for the appraisal; the complainant is told.",
        ),
        "appraisal-finish": (
            lambda: services.finish_appraisal(**common, summary=post.get("summary", "")),
            "Appraisal recorded; clock running.",
        ),
        "documents": (
            lambda: services.request_documents(
                **common, documents=post.getlist("documents"), note=post.get("note", "")
            ),
            "Documents requested.",
        ),
        "respond": (
            lambda: services.respond_to_complaint(
                **common,
                outcome=post.get("outcome", ""),
                findings=post.get("findings", ""),
                basis=post.get("basis", ""),
                reasons=post.get("reasons", ""),
                redress=post.get("redress", ""),
                redress_amount=_decimal(post.get("redress_amount", "")),
                summary=bool(post.get("summary")),
            ),
            "Response sent.",
        ),
        "holding": (
            lambda: services.send_holding_letter(**common, reason=post.get("reason", "")),
            "Holding letter sent.",
        ),
        "root-cause": (
            lambda: services.record_root_cause(
                **common,
                category=post.get("category", ""),
                clause=post.get("clause") or None,
                product=post.get("product") or None,
                product_version=version,
                service_stage=post.get("service_stage", ""),
                team=post.get("team", ""),
                note=post.get("note", ""),
            ),
            "Root cause recorded.",
        ),
        "resolve": (
            lambda: services.resolve_complaint(**common, note=post.get("note", "")),
            "Resolved; the complainant is invited to rate.",
        ),
        "withdraw": (
            lambda: services.withdraw_complaint(**common, reason=post.get("reason", "")),
            "Withdrawal recorded; the complaint is closed.",
        ),
        "attach": (
            lambda: [
                services.add_attachment(complaint=complaint, attachment=a, actor=actor, now=now)
                for a in _files(request)
            ],
            "File kept.",
        ),
    }
    if action not in operations:
        raise Http404("No such action.")
    call, success = operations[action]
    _run(request, call, success)
    return redirect("console:complaint-detail", reference)


@staff_required(Role.SUPERVISOR)
def console_extensions(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        reference = request.POST.get("reference", "")
        extension = selectors.get_extension_for(request.user, reference)
        now, note = timezone.now(), request.POST.get("note", "")
        if request.POST.get("decision") == "approve":
            _run(
                request,
                lambda: services.approve_extension(
                    extension=extension, actor=request.user, now=now, note=note
                ),
                f"Extension of {reference} approved; the complainant gets the notice.",
            )
        else:
            _run(
                request,
                lambda: services.refuse_extension(
                    extension=extension, actor=request.user, now=now, note=note
                ),
                f"Extension of {reference} refused.",
            )
        return redirect("console:complaint-extensions")
    return render(
        request,
        "complaints/console_extensions.html",
        {"extensions": selectors.pending_extensions()},
    )


@staff_required()
def console_plans(request: HttpRequest) -> HttpResponse:
    supervisor = has_role(request.user, *SUPERVISOR_ROLES)
    if request.method == "POST" and supervisor:
        post = request.POST
        holder: dict[str, Any] = {}

        def create() -> None:
            causes = list(
                selectors.unplanned_root_causes().filter(
                    pk__in=[int(p) for p in post.getlist("root_causes") if p.isdigit()]
                )
            )
            owner = get_user_model().objects.filter(pk=post.get("measure_owner") or 0).first()
            measures = []
            if post.get("measure", "").strip():
                measures.append(
                    {
                        "description": post["measure"],
                        "owner": owner,
                        "due_date": _date(post.get("measure_due"), "measures.0.due_date"),
                    }
                )
            holder["plan"] = services.create_plan(
                actor=request.user,
                now=timezone.now(),
                title=post.get("title", ""),
                deficiency=post.get("deficiency", ""),
                root_causes=causes,
                cause_categories=post.getlist("cause_categories"),
                verification_date=_date(post.get("verification_date"), "verification_date"),
                measures=measures,
            )

        if _run(request, create, "Improvement plan created."):
            return redirect("console:complaint-plan", holder["plan"].public_id)
    now = timezone.now()
    return render(
        request,
        "complaints/console_plans.html",
        {
            "plans": selectors.plans_visible_to(request.user),
            "causes": selectors.unplanned_root_causes()[:100] if supervisor else [],
            "categories": RootCauseCategory.choices,
            "staff": staff_users(),
            "supervisor": supervisor,
            "overdue": selectors.overdue_measures(request.user, now=now, everyone=supervisor),
            "today": timezone.localdate(now),
        },
    )


def _date(value: str | None, field: str) -> date:
    from insuredesk.errors import ValidationFailed

    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise ValidationFailed("Give a date (YYYY-MM-DD).", field=field) from None


@staff_required()
def console_plan(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = selectors.get_plan_for(request.user, public_id)
    now = timezone.now()
    if request.method == "POST":
        post = request.POST
        action = post.get("action")
        if action == "measure":
            measure = selectors.get_measure_for(request.user, plan, post.get("measure", ""))
            _run(
                request,
                lambda: services.update_measure(
                    measure=measure,
                    actor=request.user,
                    now=now,
                    status=post.get("status", ""),
                    evidence=post.get("evidence", ""),
                ),
                "Measure updated.",
            )
        elif action == "add-measure":
            owner = get_user_model().objects.filter(pk=post.get("owner") or 0).first()
            _run(
                request,
                lambda: services.add_measure(
                    plan=plan,
                    actor=request.user,
                    now=now,
                    description=post.get("description", ""),
                    owner=owner,
                    due_date=_date(post.get("due_date"), "due_date"),
                ),
                "Measure added.",
            )
        elif action == "verify":
            _run(
                request,
                lambda: services.verify_plan(
                    plan=plan,
                    actor=request.user,
                    now=now,
                    effective=post.get("effective") == "yes",
                    note=post.get("note", ""),
                ),
                "Verification recorded.",
            )
        return redirect("console:complaint-plan", plan.public_id)
    numbers = (
        plan.verification_numbers
        if not plan.is_open
        else selectors.plan_before_after(plan, now=now)
    )
    chart = charts.bar_chart(
        [
            ("Before the plan", numbers["before"]["complaints"]),
            ("After the plan", numbers["after"]["complaints"]),
        ],
        title=f"Complaints with these causes, {numbers['window_days']} days each side",
        axis_label="complaints",
        width=380,
    )
    return render(
        request,
        "complaints/console_plan.html",
        {
            "plan": plan,
            "numbers": numbers,
            "chart": chart,
            "statuses": MeasureStatus.choices,
            "staff": staff_users(),
            "supervisor": has_role(request.user, *SUPERVISOR_ROLES),
            "today": timezone.localdate(now),
            "causes": plan.root_causes.select_related("complaint__case"),
        },
    )


def _report(request: HttpRequest) -> Report:
    try:
        months = int(request.GET.get("months", "12"))
    except ValueError:
        months = 12
    jurisdiction = request.GET.get("jurisdiction") or None
    if jurisdiction not in (None, "CN", "GB", "US-CA"):
        jurisdiction = None
    return complaint_report(now=timezone.now(), months=months, jurisdiction=jurisdiction)


@staff_required()
def console_analytics(request: HttpRequest) -> HttpResponse:
    report = _report(request)

    rate_axis = "complaints per 10 000 policies"

    def bars(rows: list[Row], title: str) -> SafeString:
        rows = rows[:12]
        return charts.bar_chart(
            [(r.label, r.per_10k) for r in rows],
            title=title,
            axis_label=rate_axis,
            counts=[r.complaints for r in rows],
        )

    months = [r.key for r in report.by_month]
    figures = {
        "month": charts.line_chart(
            months,
            [
                ("Received", [r.complaints for r in report.by_month]),
                ("Answered late", [r.late for r in report.by_month]),
            ],
            title="Complaints per month",
            axis_label="complaints",
        ),
        "month_rate": charts.line_chart(
            months,
            [("Per 10 000 policies", [r.per_10k for r in report.by_month])],
            title="Complaints per 10 000 policies, by month",
            axis_label=rate_axis,
        ),
        "product": charts.bar_chart(
            [(r.label, r.per_10k) for r in report.by_product[:12]],
            title="By product (rate among that product's policies)",
            axis_label=rate_axis + " of the product",
            counts=[r.complaints for r in report.by_product[:12]],
        ),
        "category": bars(report.by_category, "By category"),
        "root_cause": bars(report.by_root_cause, "By root cause"),
        "stage": bars(report.by_stage, "By service stage"),
        "rating": charts.line_chart(
            months,
            [("Average rating", [r.per_10k for r in report.satisfaction_by_month])],
            title="Average rating by month (of the ratings given that month)",
            axis_label="rating, 1 poor - 5 excellent",
            floor=1,
            ceiling=5,
        ),
        "rating_spread": charts.bar_chart(
            [
                (f"{score} star{'s' if score > 1 else ''}", n)
                for score, n in reversed(report.satisfaction["distribution"].items())
            ],
            title="How complainants rated the handling",
            axis_label="ratings given",
        ),
    }
    return render(
        request,
        "complaints/console_analytics.html",
        {"report": report, "figures": figures, "query": request.GET.urlencode()},
    )


@staff_required()
def console_analytics_csv(request: HttpRequest) -> HttpResponse:
    report = _report(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="complaints-{report.start}-{report.end.date()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerows(report_rows(report))
    return response
