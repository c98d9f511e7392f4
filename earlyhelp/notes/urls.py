from django.urls import path

from . import views

app_name = "notes"
urlpatterns = [
    path("<uuid:household_id>/", views.household_notes, name="household"),
]
