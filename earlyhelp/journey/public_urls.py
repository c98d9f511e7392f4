"""Pages for families themselves: no sign-in."""

from django.urls import path

from . import views

app_name = "journey-public"
urlpatterns = [
    path("request/", views.public_request, name="request"),
    path("request/sent/", views.public_request_sent, name="request-sent"),
    path("feedback/<str:token>/", views.public_feedback, name="feedback"),
]
