"""The service navigation: each person sees the links to the pages they may use, each decided by
the same named check as the page (accounts.capabilities). The service name links to the home page.

A directory editor's links are those of their account's role: being an editor adds no role
(docs/directory.md), and the directory's own page shows an editor their listings. An account kept
for a provider's listings alone has the provider's directory editor role, which works with no
family, so it is offered the directory and its organisation's referral queue (an editor of another
role reaches the queue from the directory's page)."""

from collections.abc import Callable

from django.urls import reverse

from earlyhelp.accounts import capabilities


def _anyone(user) -> bool:
    return True


NAVIGATION: list[tuple[str, str, Callable[..., bool]]] = [
    ("Search", "families:search", capabilities.works_with_families),
    ("Is this child known?", "families:known-check", capabilities.works_with_families),
    ("Requests", "journey:requests", capabilities.works_with_families),
    ("Step ups", "journey:step-ups", capabilities.can_see_step_ups),
    ("Service directory", "directory:home", _anyone),
    ("Referrals", "referrals:queue", capabilities.can_see_referral_queue),
    ("Insights", "insights:report", capabilities.can_see_insights),
    ("Claims", "outcomes:claims", capabilities.can_see_claims),
    ("Audit", "audit:search", capabilities.is_data_protection_officer),
    ("Data protection", "dataprotection:overview", capabilities.is_data_protection_officer),
    ("Datasets", "datahub:register", capabilities.can_view_dataset_register),
    ("Identification", "datahub:identification", capabilities.can_work_identification_list),
    ("Links to review", "datahub:review-queue", capabilities.can_review_links),
    ("Sharing to decide", "consent:decisions", capabilities.can_decide_sharing),
    ("Emergency access", "dataprotection:break-glass", capabilities.can_break_glass),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for label, url_name, may in NAVIGATION:
        if may(user):
            url = reverse(url_name)
            items.append({"label": label, "url": url, "current": request.path == url})
    return {"navigation": items}
