from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from earlyhelp.directory import urls as directory_urls
from earlyhelp.home import health
from earlyhelp.home import views as home_views
from earlyhelp.insights import views as insights_views

# The directory's coverage report reads the plans' referrals too, so its page lives in insights,
# above both; its address and name stay the directory's.
directory_patterns = [
    *directory_urls.urlpatterns,
    path("coverage/", insights_views.directory_coverage, name="coverage"),
]

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("earlyhelp.home.urls")),
    path("accounts/", include("earlyhelp.accounts.urls")),
    path("families/", include("earlyhelp.families.urls")),
    path("audit/", include("earlyhelp.dataprotection.trail_urls")),
    path("assessments/", include("earlyhelp.assessments.urls")),
    path("plans/", include("earlyhelp.plans.urls")),
    path("referrals/", include("earlyhelp.plans.referral_urls")),
    path("journey/", include("earlyhelp.journey.urls")),
    path("help/", include("earlyhelp.journey.public_urls")),
    path("directory/", include((directory_patterns, directory_urls.app_name))),
    path("find-help/", include("earlyhelp.directory.public_urls")),
    # Open Referral UK 3.0: described by the standard's own OpenAPI document, not the project's schema.
    path("oruk/", include("earlyhelp.directory.oruk_urls")),
    # The API's description is public; every endpoint it describes applies its own access rules.
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
    path("api/journey/", include("earlyhelp.journey.api_urls")),
    path("api/assessments/", include("earlyhelp.assessments.api_urls")),
    path("api/plans/", include("earlyhelp.plans.api_urls")),
    path("api/referrals/", include("earlyhelp.plans.referral_api_urls")),
    path("api/notes/", include("earlyhelp.notes.api_urls")),
    path("api/documents/", include("earlyhelp.documents.api_urls")),
    path("api/consent/", include("earlyhelp.consent.api_urls")),
    path("api/notifications/", include("earlyhelp.notifications.api_urls")),
    path("api/oversight/", include("earlyhelp.oversight.api_urls")),
    path("api/", include("earlyhelp.families.api_urls")),
    path("admin/", admin.site.urls),
    path("consent/", include("earlyhelp.consent.urls")),
    path("notes/", include("earlyhelp.notes.urls")),
    path("documents/", include("earlyhelp.documents.urls")),
    path("oversight/", include("earlyhelp.oversight.urls")),
    path("data-protection/", include("earlyhelp.dataprotection.urls")),
    path("insights/", include("earlyhelp.insights.urls")),
    path("data-hub/", include("earlyhelp.datahub.urls")),
    path("claims/", include("earlyhelp.outcomes.urls")),
    path("notifications/", include("earlyhelp.notifications.urls")),
]

if settings.EARLY_HELP_OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler404 = "earlyhelp.web.errors.not_found"
handler500 = "earlyhelp.web.errors.server_error"
handler403 = "earlyhelp.web.errors.forbidden"
