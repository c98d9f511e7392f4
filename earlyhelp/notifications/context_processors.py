"""The unread count beside the service's name on every page a signed-in person sees."""

from .selectors import inbox_unread_count


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": inbox_unread_count(user)}
