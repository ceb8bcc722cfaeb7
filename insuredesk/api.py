"""The JSON API at /api/v1/: one NinjaAPI, a router per app, one error shape.

Every error, whoever raises it, leaves as `{"error": {"code", "message", "details"}}`.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from insuredesk.errors import DomainError
from insuredesk.web.auth import api_auth

api = NinjaAPI(
    title="InsureDesk API",
    version="1",
    description=(
        "Insurance customer service: products and clauses, risk planning and written proposals, "
        "policies, consultations, claims and complaints. Authenticate with "
        "`POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`. Errors share one "
        'shape: `{"error": {"code", "message", "details"}}`. Send an `Idempotency-Key` header on '
        "POSTs that create or pay: a repeat returns the first response."
    ),
    auth=api_auth,
    urls_namespace="api",
)


def error_response(request: HttpRequest, status: int, code: str, message: str, **details):
    body = {"error": {"code": code, "message": message, "details": details}}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, {"error": exc.as_dict()}, status=exc.status)


def _field_name(location: list | tuple) -> str:
    # ninja reports ("body", "payload", "amount"); clients want "amount". Only the leading
    # location is dropped, so a field that is itself called "body" keeps its name.
    parts = [str(p) for p in location]
    if parts[:1] in (["body"], ["query"], ["path"], ["form"], ["file"]):
        parts = parts[1:]
    if parts[:1] == ["payload"] and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or ".".join(str(p) for p in location)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    fields = []
    for error in exc.errors:
        field = _field_name(error.get("loc", ()))
        fields.append({"field": field, "message": str(error.get("msg", "invalid"))})
    first = fields[0] if fields else {"field": "", "message": "invalid request"}
    message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return error_response(
        request, 422, "validation_failed", message, field=first["field"], errors=fields
    )


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.message_dict.items()))
        return error_response(
            request,
            422,
            "validation_failed",
            f"{field}: {errors[0]}",
            field=field,
            errors=exc.message_dict,
        )
    return error_response(request, 422, "validation_failed", "; ".join(exc.messages))


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error_response(
        request, 401, "not_authenticated", "Sign in, or send Authorization: Bearer <token>."
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error_response(request, 403, "not_permitted", str(exc) or "Your role may not do this.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 400 and "parse request body" in str(exc):
        if "json" not in request.content_type:
            return error_response(
                request,
                415,
                "unsupported_media_type",
                f"Send the body as application/json, not {request.content_type or 'nothing'}.",
                field="Content-Type",
            )
        return error_response(
            request, 400, "malformed_json", "The request body is not valid JSON.", field="body"
        )
    codes = {
        400: "bad_request",
        401: "not_authenticated",
        403: "not_permitted",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        415: "unsupported_media_type",
    }
    return error_response(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


def _register_routers() -> None:
    from insuredesk.casework.api import router as casework
    from insuredesk.catalog.api import router as catalog
    from insuredesk.claims.api import router as claims
    from insuredesk.complaints.api import router as complaints
    from insuredesk.consultation.api import router as consultation
    from insuredesk.customers.api import router as customers
    from insuredesk.documents.api import router as documents
    from insuredesk.notifications.api import router as notifications
    from insuredesk.planning.api import router as planning
    from insuredesk.policies.api import router as policies
    from insuredesk.policies.visit_api import router as visits
    from insuredesk.rules.api import router as rules
    from insuredesk.sales.api import router as sales

    for router in (
        customers,
        catalog,
        policies,
        sales,
        planning,
        rules,
        casework,
        documents,
        notifications,
        consultation,
        claims,
        complaints,
        visits,
    ):
        api.add_router("", router)


_register_routers()
