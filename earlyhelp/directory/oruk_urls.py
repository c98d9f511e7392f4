"""The Open Referral UK 3.0 read API under /oruk/ (paths as the standard writes them, no trailing slash)."""

from django.urls import path

from . import api

app_name = "oruk"
urlpatterns = [
    path("", api.service_info, name="root"),
    path("openapi.json", api.openapi, name="openapi"),
    path("services", api.service_list, name="services"),
    path("services/<str:service_id>", api.service_detail, name="service"),
    path("service_at_locations", api.service_at_location_list, name="service-at-locations"),
    path("service_at_locations/<str:place_id>", api.service_at_location_detail, name="service-at-location"),
    path("taxonomies", api.taxonomy_list, name="taxonomies"),
    path("taxonomies/<str:taxonomy_id>", api.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", api.taxonomy_term_list, name="taxonomy-terms"),
    path("taxonomy_terms/<str:term_id>", api.taxonomy_term_detail, name="taxonomy-term"),
]
