from django import template

from avenirpro.notifications import non_lues

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_non_lues(context) -> int:
    """Unread notifications of the logged-in user (one COUNT query, once per page)."""
    request = context.get("request")
    if request is None:
        return 0
    if not hasattr(request, "_notifications_non_lues"):
        request._notifications_non_lues = non_lues(getattr(request, "user", None))
    return request._notifications_non_lues
