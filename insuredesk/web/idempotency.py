"""`Idempotency-Key` on API POSTs: a repeated key replays the first response.

A client that lost the answer to "report this claim" or "pay this order" sends the same request
again with the same key and gets the same answer, and the operation runs once. The same key with
a different body is a client bug and gets 422; a repeat that arrives while the first is still
running gets 409.
"""

import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from insuredesk.web.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _error(status: int, code: str, message: str) -> JsonResponse:
    details = {"header": HEADER}
    return JsonResponse(
        {"error": {"code": code, "message": message, "details": details}}, status=status
    )


def _principal(request: HttpRequest) -> str:
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()[:64]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "addr:" + request.META.get("REMOTE_ADDR", "")


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH:
            return _error(422, "validation_failed", f"{HEADER} is longer than {MAX_KEY_LENGTH}.")

        digest = hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest()
        principal = _principal(request)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    principal=principal,
                    key=key,
                    request_hash=digest,
                    method=request.method,
                    path=request.path[:500],
                )
        except IntegrityError:
            return self._replay(principal, key, digest)

        response = self.get_response(request)
        if response.status_code >= 500 or getattr(response, "streaming", False):
            # Nothing was promised: let the client try again with the same key.
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return response
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            status_code=response.status_code,
            content_type=response.get("Content-Type", ""),
            body=response.content,
        )
        return response

    @staticmethod
    def _replay(principal: str, key: str, digest: str) -> HttpResponse:
        record = IdempotencyRecord.objects.get(principal=principal, key=key)
        if record.request_hash != digest:
            return _error(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was already used with a different request.",
            )
        if record.status_code is None:
            return _error(409, "conflict", "A request with this Idempotency-Key is in progress.")
        response = HttpResponse(
            bytes(record.body), status=record.status_code, content_type=record.content_type
        )
        response["Idempotent-Replayed"] = "true"
        return response
