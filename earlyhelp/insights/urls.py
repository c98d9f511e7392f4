from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.report, name="report"),
    path("export.csv", views.export, name="export"),
]
