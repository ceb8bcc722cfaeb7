"""API authentication: a bearer token, or the browser session with its CSRF check."""

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from ninja.security import HttpBearer

from insuredesk.customers.selectors import user_for_token


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def _no_view(request: HttpRequest) -> HttpResponse:
    """Stands in for the view and the rest of the chain, which the CSRF check alone never calls."""
    raise NotImplementedError


class TokenOrSession(HttpBearer):
    """Bearer tokens for API clients; a logged-in browser may call the API with its session.

    Session calls that change state must carry the CSRF token, as the pages' forms do: without
    that, any site could make a logged-in customer's browser post to the API.
    """

    def __call__(self, request: HttpRequest):
        if request.headers.get("Authorization"):
            return super().__call__(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            check = _CsrfCheck(_no_view)
            check.process_request(request)
            if check.process_view(request, _no_view, (), {}) is not None:
                return None
        return user

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api_auth = TokenOrSession()


def optional_auth(request: HttpRequest):
    """For public endpoints that say more to a signed-in caller: never refuses."""
    return api_auth(request) or True
