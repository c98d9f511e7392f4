from django.urls import path

from . import referral_views as views

app_name = "referrals"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:referral_id>/", views.referral, name="referral"),
    path("<uuid:referral_id>/answer/", views.answer, name="answer"),
    path("<uuid:referral_id>/complete/", views.complete, name="complete"),
]
