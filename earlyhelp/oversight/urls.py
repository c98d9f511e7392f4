from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("families/<uuid:household_id>/supervision/", views.supervision, name="supervision"),
    path("families/<uuid:household_id>/lead/", views.lead_change, name="lead-change"),
    path("families/<uuid:household_id>/transfer/", views.transfer, name="transfer"),
]
