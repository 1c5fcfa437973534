"""Rate limits of the anonymous URLs whose secret token is the only credential (issue 13, F9).

The ICS feed today, the young person's own links tomorrow: decorate the view with `@limite_jeton_public` (under
`@login_not_required`). The limit is the login's mechanism, reused: allauth's rate limiter, per client IP (behind
the trusted proxies of ALLAUTH_TRUSTED_PROXY_COUNT), counted in the default cache — the database, so that it holds
when Redis is down — with its rate in ACCOUNT_RATE_LIMITS["jeton_public"]. Beyond it: 429 with Retry-After.
"""

from functools import wraps

from allauth.core.internal import ratelimit
from django.http import HttpResponse

ACTION = "jeton_public"


def limite_jeton_public(vue):
    @wraps(vue)
    def limitee(request, *args, **kwargs):
        # limit_get: allauth limits only POSTs by default; these URLs are read by GET.
        if ratelimit.consume(request, app="allauth.account", action=ACTION, limit_get=True) is None:
            return HttpResponse(
                "Trop de demandes en peu de temps : réessayez dans une minute.\n",
                status=429,
                content_type="text/plain; charset=utf-8",
                headers={"Retry-After": "60"},
            )
        return vue(request, *args, **kwargs)

    return limitee
