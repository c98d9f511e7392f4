from django.urls import path

from . import api

app_name = "consent-api"
urlpatterns = [
    path("families/<uuid:household_id>/", api.ConsentsApi.as_view(), name="household"),
    path(
        "families/<uuid:household_id>/<record_id:consent_id>/withdraw/",
        api.ConsentWithdrawalApi.as_view(),
        name="withdraw",
    ),
]
