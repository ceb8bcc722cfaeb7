"""Letter pages: the customer's letters in the portal, PDF downloads in portal and console."""

import base64
import hashlib

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.utils import timezone

from insuredesk.documents.selectors import get_letter_for, letters_visible_to, with_deliveries
from insuredesk.documents.services import LetterFileDamaged, open_letter
from insuredesk.web.access import customer_required, staff_required

PAGE_SIZE = 25


@customer_required
def portal_letters(request: HttpRequest) -> HttpResponse:
    """My letters: everything the insurer wrote to me, newest first, with how it reached me."""
    letters = with_deliveries(letters_visible_to(request.user))
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/portal_letters.html", {"page": page})


@customer_required
def portal_letter_pdf(request: HttpRequest, public_id) -> HttpResponse:
    return letter_pdf(request, public_id)


@staff_required()
def console_letters(request: HttpRequest) -> HttpResponse:
    """Every letter issued, newest first; filter by customer number or case reference."""
    letters = with_deliveries(letters_visible_to(request.user))
    query = request.GET.get("q", "").strip()[:40]
    if query:
        letters = letters.filter(Q(customer__number=query) | Q(case__reference=query))
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/console_letters.html", {"page": page, "query": query})


@staff_required()
def console_letter_pdf(request: HttpRequest, public_id) -> HttpResponse:
    return letter_pdf(request, public_id)


def letter_pdf(request: HttpRequest, public_id) -> HttpResponse:
    """One letter the user may see (else 404), as issued: checked, and logged for staff."""
    letter = get_letter_for(request.user, public_id)
    try:
        data = open_letter(letter=letter, user=request.user, now=timezone.now())
    except LetterFileDamaged as exc:
        # Never serve a PDF that differs from what was issued; the error is logged for staff.
        return HttpResponseServerError(exc.message, content_type="text/plain; charset=utf-8")
    return pdf_response(letter, data)


def pdf_response(letter, data: bytes) -> HttpResponse:
    """The PDF inline, with its checksum in a Repr-Digest header (RFC 9530)."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter.filename}"'
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    response["Cache-Control"] = "private, no-store"
    return response
