"""Consultation pages: portal (ask, threads, guided explanation, lectures) and console (queue,
workspace, knowledge base, lectures, explanation evidence)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from insuredesk.casework.services import log_access
from insuredesk.consultation import forms, selectors, services
from insuredesk.consultation.choices import ArticleStatus, Origin
from insuredesk.consultation.services.knowledge import file_format
from insuredesk.customers.roles import Role
from insuredesk.customers.selectors import customer_of, get_customer_for
from insuredesk.errors import DomainError
from insuredesk.web.access import CustomerRequest, customer_required, staff_required

AGENTS = (Role.AGENT,)


def _fail(form, exc: DomainError) -> None:
    """Put a service's refusal next to the field it names (or on top of the form)."""
    field = exc.details.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


# --- portal: consultations -------------------------------------------------------------------


def portal_ask(request: HttpRequest) -> HttpResponse:
    """Ask a question; signed-in customers and guests (with name and e-mail) alike."""
    customer = customer_of(request.user)
    if request.user.is_authenticated and customer is None:
        raise PermissionDenied("Staff answer consultations in the console.")
    form = forms.AskForm(request.POST or None, initial={"product": request.GET.get("product")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asked = services.ask_question(
                actor=request.user,
                now=timezone.now(),
                question=data["question"],
                language=data["language"],
                product=data["product"].code if data["product"] else None,
                policy=request.POST.get("policy") or None,
                ask_person=data["ask_person"],
                name=data["name"],
                email=data["email"],
                origin=Origin.PORTAL,
            )
        except DomainError as exc:
            _fail(form, exc)
        else:
            if customer is not None:
                return redirect("portal:consultation-detail", asked.consultation.case.reference)
            return render(
                request,
                "consultation/portal_thread.html",
                {
                    "consultation": asked.consultation,
                    "guest": True,
                    "thread": selectors.thread(asked.consultation),
                },
            )
    return render(
        request,
        "consultation/portal_ask.html",
        {
            "form": form,
            "signed_in": customer is not None,
            "policy": request.GET.get("policy", ""),
        },
    )


@customer_required
def portal_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "consultation/portal_list.html",
        {"consultations": selectors.my_consultations(request.user)[:100]},
    )


@customer_required
def portal_detail(request: HttpRequest, reference: str) -> HttpResponse:
    consultation = selectors.get_consultation_for(request.user, reference)
    form = forms.FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up(
                consultation=consultation,
                actor=request.user,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except DomainError as exc:
            _fail(form, exc)
        else:
            return redirect("portal:consultation-detail", reference)
    return render(
        request,
        "consultation/portal_thread.html",
        {
            "consultation": consultation,
            "thread": selectors.thread(consultation),
            "form": form,
        },
    )


@customer_required
@require_POST
def portal_rate(request: HttpRequest, reference: str, message_id) -> HttpResponse:
    consultation = selectors.get_consultation_for(request.user, reference)
    message = selectors.get_message_for(request.user, consultation, message_id)
    try:
        rating = int(request.POST.get("rating", "0"))
    except ValueError:
        rating = 0
    try:
        services.rate_answer(message=message, actor=request.user, rating=rating, now=timezone.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Thank you for rating the answer.")
    return redirect("portal:consultation-detail", reference)


@customer_required
@require_POST
def portal_ask_person(request: HttpRequest, reference: str) -> HttpResponse:
    consultation = selectors.get_consultation_for(request.user, reference)
    try:
        services.ask_for_person(consultation=consultation, actor=request.user, now=timezone.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "An agent will answer you.")
    return redirect("portal:consultation-detail", reference)


# --- portal: guided explanation --------------------------------------------------------------


@customer_required
def portal_explain(request: HttpRequest, code: str) -> HttpResponse:
    """Each clause of the version, exemption clauses marked, with an acknowledgement box each:
    the version of the customer's `?policy=` or `?application=`, else the one on sale."""
    policy_number = request.GET.get("policy") or request.POST.get("policy") or ""
    reference = request.GET.get("application") or request.POST.get("application") or ""
    version = selectors.version_to_explain(
        request.user, code, policy=policy_number, application=reference
    )
    clauses = list(version.clauses.order_by("position", "id"))
    errors = ""
    if request.method == "POST":
        try:
            explanation = services.acknowledge_online(
                actor=request.user,
                product_version=version,
                acknowledged=request.POST.getlist("acknowledged"),
                now=timezone.now(),
                policy=policy_number or None,
            )
        except DomainError as exc:
            errors = exc.message
        else:
            messages.success(request, "Thank you: your acknowledgement is recorded.")
            if reference:
                return redirect("portal:application", reference)
            return redirect("portal:consultation-explanation", explanation.public_id)
    return render(
        request,
        "consultation/portal_explain.html",
        {
            "version": version,
            "clauses": clauses,
            "policy": policy_number,
            "application": reference,
            "errors": errors,
            "ticked": set(request.POST.getlist("acknowledged")),
        },
    )


@customer_required
def portal_explanation(request: HttpRequest, public_id) -> HttpResponse:
    explanation = selectors.get_explanation_for(request.user, public_id)
    return render(
        request,
        "consultation/explanation.html",
        {"explanation": explanation, "base": "portal/base.html"},
    )


# --- portal: lectures ------------------------------------------------------------------------


def portal_lectures(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    customer = customer_of(request.user)
    mine = selectors.registrations_of(customer)
    lectures = list(selectors.upcoming_lectures(now)[:50])
    return render(
        request,
        "consultation/portal_lectures.html",
        {
            "rows": [(lecture, mine.get(lecture.pk)) for lecture in lectures],
            "customer": customer,
        },
    )


@customer_required
@require_POST
def portal_register(request: CustomerRequest, public_id) -> HttpResponse:
    lecture = selectors.get_lecture(public_id)
    try:
        registration = services.register_for_lecture(
            lecture=lecture,
            attendee=request.customer,
            actor=request.user,
            now=timezone.now(),
            wants_follow_up=bool(request.POST.get("wants_follow_up")),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "Your seat is booked."
            if registration.status == "registered"
            else "The lecture is full: you are on the waiting list.",
        )
    return redirect("portal:consultation-lectures")


@customer_required
@require_POST
def portal_cancel_registration(request: HttpRequest, public_id) -> HttpResponse:
    registration = selectors.get_registration_for(request.user, public_id)
    try:
        services.cancel_registration(
            registration=registration, actor=request.user, now=timezone.now()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Your registration is cancelled.")
    return redirect("portal:consultation-lectures")


# --- console: queue and workspace ------------------------------------------------------------


@staff_required(*AGENTS)
def console_queue(request: HttpRequest) -> HttpResponse:
    everyone = request.GET.get("everyone") == "1"
    return render(
        request,
        "consultation/console_queue.html",
        {
            "rows": selectors.consultation_queue(request.user, everyone=everyone),
            "everyone": everyone,
        },
    )


@staff_required(*AGENTS)
def console_detail(request: HttpRequest, reference: str) -> HttpResponse:
    consultation = selectors.get_consultation_for(request.user, reference)
    log_access(consultation.case, user=request.user, now=timezone.now(), what="consultation")
    thread = selectors.thread(consultation)
    suggestions = [s for m in thread if m.kind == "question" for s in m.sources.all()]
    form = forms.AgentAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_consultation(
                consultation=consultation,
                actor=request.user,
                now=timezone.now(),
                body=form.cleaned_data["body"],
                sources=form.cleaned_data["sources"].split() + request.POST.getlist("cite"),
            )
        except DomainError as exc:
            _fail(form, exc)
        else:
            messages.success(request, f"{reference} answered.")
            return redirect("console:consultation-detail", reference)
    from insuredesk.casework.selectors import events_of
    from insuredesk.casework.services import due_soon_lead

    now, lead = timezone.now(), due_soon_lead()
    clocks = consultation.case.clocks.exclude(state="cancelled").order_by("-started_at")
    return render(
        request,
        "consultation/console_workspace.html",
        {
            "consultation": consultation,
            "thread": thread,
            "form": form,
            "suggestions": suggestions[-5:],
            "events": events_of(consultation.case, for_customer=False),
            "clocks": [(c, c.display_state(now, lead)) for c in clocks],
        },
    )


@staff_required(*AGENTS)
@require_POST
def console_promote(request: HttpRequest, reference: str, message_id) -> HttpResponse:
    consultation = selectors.get_consultation_for(request.user, reference)
    message = selectors.get_message_for(request.user, consultation, message_id)
    try:
        article = services.promote_answer(message=message, actor=request.user, now=timezone.now())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("console:consultation-detail", reference)
    messages.success(request, "A draft article was written; it needs a review.")
    return redirect("console:consultation-article", article.external_id)


@staff_required(*AGENTS)
@require_POST
def console_close(request: HttpRequest, reference: str) -> HttpResponse:
    consultation = selectors.get_consultation_for(request.user, reference)
    try:
        services.close_consultation(
            consultation=consultation,
            actor=request.user,
            now=timezone.now(),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("console:consultation-detail", reference)


# --- console: knowledge base -----------------------------------------------------------------


@staff_required(*AGENTS)
def console_articles(request: HttpRequest) -> HttpResponse:
    filters = forms.ArticleFilterForm(request.GET or None)
    query = status = ""
    if filters.is_valid():
        query, status = filters.cleaned_data["q"].strip(), filters.cleaned_data["status"]
    rows = selectors.filter_articles(
        selectors.articles_visible_to(request.user), query=query, status=status
    )
    return render(
        request,
        "consultation/console_articles.html",
        {
            "articles": rows[:200],
            "filters": filters,
            "import_form": forms.ImportForm(),
        },
    )


@staff_required(*AGENTS)
def console_article(request: HttpRequest, external_id: str | None = None) -> HttpResponse:
    article = selectors.get_article_for(request.user, external_id) if external_id else None
    initial = {}
    if article is not None:
        initial = {
            "external_id": article.external_id,
            "question": article.question,
            "answer": article.answer,
            "language": article.language,
            "tags": ";".join(article.tags),
            "products": [p.code for p in article.products.all()],
        }
    form = forms.ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = dict(
            question=data["question"],
            answer=data["answer"],
            language=data["language"],
            tags=data["tags"].split(";"),
            products=list(data["products"]),
        )
        try:
            if article is None:
                article = services.create_article(
                    actor=request.user,
                    now=timezone.now(),
                    external_id=data["external_id"],
                    **fields,
                )
            else:
                services.update_article(
                    article=article, actor=request.user, now=timezone.now(), **fields
                )
        except DomainError as exc:
            _fail(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("console:consultation-article", article.external_id)
    return render(
        request,
        "consultation/console_article.html",
        {
            "article": article,
            "form": form,
            "history": article.history.select_related("changed_by")[:50] if article else [],
        },
    )


@staff_required(*AGENTS)
@require_POST
def console_article_step(request: HttpRequest, external_id: str, step: str) -> HttpResponse:
    article = selectors.get_article_for(request.user, external_id)
    operation = {
        "review": services.review_article,
        "publish": services.publish_article,
        "withdraw": services.withdraw_article,
    }.get(step)
    if operation is None:
        raise Http404("No such step.")
    try:
        operation(article=article, actor=request.user, now=timezone.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Article {step}ed." if step != "review" else "Reviewed.")
    return redirect("console:consultation-article", external_id)


@staff_required(*AGENTS)
@require_POST
def console_import(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a CSV or JSONL file.")
        return redirect("console:consultation-articles")
    upload = form.cleaned_data["file"]
    try:
        result = services.import_articles(
            text=upload.read().decode("utf-8-sig"),
            fmt=file_format(upload.name),
            actor=request.user,
            now=timezone.now(),
            status=form.cleaned_data["status"],
        )
    except UnicodeDecodeError:
        messages.error(request, "The file is not UTF-8 text.")
    except services.ImportRejected as exc:
        lines = "; ".join(str(e) for e in exc.errors[:20])
        messages.error(request, f"Nothing was imported. {lines}")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged.",
        )
    return redirect("console:consultation-articles")


# --- console: lectures -----------------------------------------------------------------------


@staff_required(*AGENTS)
def console_lectures(request: HttpRequest) -> HttpResponse:
    form = forms.LectureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lecture = services.publish_lecture(
                actor=request.user, now=timezone.now(), **form.cleaned_data
            )
        except DomainError as exc:
            _fail(form, exc)
        else:
            messages.success(request, "Lecture published.")
            return redirect("console:consultation-lecture", lecture.public_id)
    return render(
        request,
        "consultation/console_lectures.html",
        {"lectures": selectors.all_lectures()[:100], "form": form},
    )


@staff_required(*AGENTS)
def console_lecture(request: HttpRequest, public_id) -> HttpResponse:
    lecture = selectors.get_lecture(public_id)
    if request.method == "POST":
        registration = selectors.get_registration_for(
            request.user, request.POST.get("registration")
        )
        if registration.lecture_id != lecture.pk:
            raise Http404("No such registration.")
        try:
            services.record_attendance(
                registration=registration,
                attended=request.POST.get("attended") == "yes",
                actor=request.user,
                now=timezone.now(),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("console:consultation-lecture", public_id)
    return render(
        request,
        "consultation/console_lecture.html",
        {
            "lecture": lecture,
            "registrations": selectors.lecture_registrations(lecture),
            "started": lecture.starts_at <= timezone.now(),
        },
    )


# --- console: explanation evidence -----------------------------------------------------------


@staff_required()
def console_customer_explanations(request: HttpRequest, number: str) -> HttpResponse:
    """The customer's clause explanation evidence, and the agent's form to record one."""
    customer = get_customer_for(request.user, number)
    form = forms.ExplanationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = data["product_version"]
        try:
            services.record_explanation(
                actor=request.user,
                customer=customer,
                product_version=version,
                channel=data["channel"],
                explained_at=data["explained_at"],
                acknowledgement_method=data["acknowledgement_method"],
                evidence_file=data["evidence_file"],
                now=timezone.now(),
                clauses=data["clauses"].split() or None,
                policy=data["policy"] or None,
                notes=data["notes"],
            )
        except DomainError as exc:
            _fail(form, exc)
        else:
            messages.success(request, "The explanation is recorded.")
            return redirect(reverse("console:consultation-customer-explanations", args=[number]))
    return render(
        request,
        "consultation/console_explanations.html",
        {
            "customer": customer,
            "section_data": customer_section(customer),
            "form": form,
        },
    )


@staff_required()
def console_explanation(request: HttpRequest, public_id) -> HttpResponse:
    explanation = selectors.get_explanation_for(request.user, public_id)
    return render(
        request,
        "consultation/explanation.html",
        {"explanation": explanation, "base": "console/base.html"},
    )


def customer_section(customer) -> dict:
    """For the console customer page's `customer_sections`: the explanation evidence."""
    return {
        "template": "consultation/customer_section.html",
        "explanations": selectors.explanations_of(customer),
        "customer": customer,
        "status": ArticleStatus,
    }
