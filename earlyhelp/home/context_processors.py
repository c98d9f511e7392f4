"""The service navigation, by role: each person sees the links their role can use."""

from django.urls import reverse

from earlyhelp.accounts.models import Role

NAVIGATION = [
    ("Home", "home:dashboard", None),
    ("Search", "families:search", {Role.PRACTITIONER, Role.COORDINATOR, Role.MANAGER, Role.SOCIAL_CARE}),
    (
        "Is this child known?",
        "families:known-check",
        {Role.PRACTITIONER, Role.COORDINATOR, Role.MANAGER, Role.SOCIAL_CARE},
    ),
    ("Requests", "journey:requests", {Role.PRACTITIONER, Role.COORDINATOR, Role.MANAGER, Role.SOCIAL_CARE}),
    ("Step ups", "journey:step-ups", {Role.COORDINATOR, Role.MANAGER, Role.SOCIAL_CARE}),
    ("Service directory", "directory:home", None),
    ("Insights", "insights:report", {Role.ANALYST, Role.MANAGER}),
    ("Audit", "audit:search", {Role.DPO}),
    ("Data protection", "dataprotection:overview", {Role.DPO}),
    ("Sharing to decide", "consent:decisions", {Role.MANAGER}),
    ("Emergency access", "dataprotection:break-glass", {Role.PRACTITIONER, Role.SOCIAL_CARE, Role.MANAGER}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for label, url_name, roles in NAVIGATION:
        if roles is None or user.role in roles:
            url = reverse(url_name)
            items.append({"label": label, "url": url, "current": request.path == url})
    return {"navigation": items}
