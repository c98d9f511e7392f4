from django.urls import path

from . import views

app_name = "consent"
urlpatterns = [
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<int:share_id>/", views.decide, name="decide"),
    path("<uuid:household_id>/", views.household_consent, name="household"),
    path("<uuid:household_id>/new/", views.consent_new, name="record"),
    path("<uuid:household_id>/<int:consent_id>/withdraw/", views.consent_withdraw, name="withdraw"),
    path("<uuid:household_id>/without-consent/", views.sharing_without_consent, name="without-consent"),
]
