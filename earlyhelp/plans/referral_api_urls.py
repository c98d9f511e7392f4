from django.urls import path

from . import referral_api as api

REFERRAL = "<uuid:referral_id>/"

app_name = "referrals-api"
urlpatterns = [
    path("", api.ReferralQueueApi.as_view(), name="queue"),
    path(REFERRAL, api.ReferralApi.as_view(), name="referral"),
    path(f"{REFERRAL}accept/", api.ReferralAcceptApi.as_view(), name="accept"),
    path(f"{REFERRAL}decline/", api.ReferralDeclineApi.as_view(), name="decline"),
    path(f"{REFERRAL}complete/", api.ReferralCompleteApi.as_view(), name="complete"),
]
