"""Console pages of the rules app."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from insuredesk.rules.registry import profiles
from insuredesk.web.access import staff_required


@staff_required()
def console_rules(request: HttpRequest) -> HttpResponse:
    """Every jurisdiction profile with its rules, sources and how far each is confirmed."""
    return render(request, "rules/console_rules.html", {"profiles": profiles()})
