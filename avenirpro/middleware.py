import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

PROLONGER = "/session/prolonger"


class SessionExpiryMiddleware:
    """Idle expiry (SESSION_IDLE_SECONDS) and absolute expiry (SESSION_ABSOLUTE_SECONDS) of a login session,
    plus immediate cut-off of a deactivated account (its open sessions included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            debut = request.session.setdefault("_debut", now)
            derniere = request.session.get("_derniere", now)
            if now - derniere > settings.SESSION_IDLE_SECONDS or now - debut > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(reverse("account_login") + "?expiree=1")
            # The idle timer is written at most once a minute (a tenth of a short test timeout): not a session
            # UPDATE and commit on every page, for a timer counted in tens of minutes.
            if (
                "_derniere" not in request.session
                or now - derniere >= min(60, settings.SESSION_IDLE_SECONDS // 10)
                or request.path == PROLONGER
            ):
                request.session["_derniere"] = now
            response = self.get_response(request)
            # Personal data never stays in a browser or proxy cache (confidentiality requirement).
            if not response.has_header("Cache-Control"):
                add_never_cache_headers(response)
            return response
        return self.get_response(request)


class MfaObligatoireMiddleware:
    """Administrators and pilotage must protect their account with TOTP (ADR 0004): until they have an
    authenticator every page sends them to the activation page. Allauth's own pages (login, logout, re-authentication,
    MFA), health, static files, legal pages and the session keep-alive stay reachable."""

    EXEMPTES = ("/comptes/", "/healthz", "/static/", "/media/", "/session/prolonger")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPTES)
            and mfa_obligatoire(user)
            and not _a_un_authentificateur(user)
            and not _vue_publique(request)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def mfa_obligatoire(user) -> bool:
    p = user.perimetre
    return bool(p.admin or p.pilotage or user.is_superuser)


def _a_un_authentificateur(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _vue_publique(request) -> bool:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "login_required", True) is False
