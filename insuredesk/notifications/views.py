"""The inbox pages: customers in the portal, staff (deadline alerts) in the console."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from insuredesk.notifications import services
from insuredesk.notifications.selectors import inbox_of
from insuredesk.web.access import customer_required, staff_required

PAGE_SIZE = 25


@customer_required
def portal_inbox(request: HttpRequest) -> HttpResponse:
    return _inbox(request, area="portal")


@customer_required
@require_POST
def portal_mark_read(request: HttpRequest, public_id) -> HttpResponse:
    return _mark_read(request, public_id, area="portal")


@staff_required()
def console_inbox(request: HttpRequest) -> HttpResponse:
    return _inbox(request, area="console")


@staff_required()
@require_POST
def console_mark_read(request: HttpRequest, public_id) -> HttpResponse:
    return _mark_read(request, public_id, area="console")


def _inbox(request: HttpRequest, *, area: str) -> HttpResponse:
    messages = inbox_of(request.user)
    unread = request.GET.get("unread") == "1"
    if unread:
        messages = messages.filter(read_at__isnull=True)
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        f"notifications/{area}_inbox.html",
        {"page": page, "area": area, "unread_only": unread},
    )


def _mark_read(request: HttpRequest, public_id, *, area: str) -> HttpResponse:
    message = services.mark_message_read(
        actor=request.user, message_id=public_id, now=timezone.now()
    )
    if request.headers.get("HX-Request"):
        return render(request, "notifications/_message.html", {"m": message, "area": area})
    return redirect(f"{area}:inbox")
