from django.urls import path

from . import cost_views, survey_views, views

app_name = "insights"
urlpatterns = [
    path("", views.report, name="report"),
    path("export.csv", views.export, name="export"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/download.<str:file_format>", views.dashboard_download, name="dashboard-download"),
    path("confidence/", survey_views.confidence_answer, name="confidence"),
    path("confidence/results/", survey_views.confidence_results, name="confidence-results"),
    path("cost-of-demand/", cost_views.cost_of_demand, name="cost-of-demand"),
]
