from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.report, name="report"),
    path("export.csv", views.export, name="export"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/download.<str:file_format>", views.dashboard_download, name="dashboard-download"),
]
