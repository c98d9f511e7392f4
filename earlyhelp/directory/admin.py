"""Admin: the system administrator adds provider organisations, names their editors and says which
postcode districts make up each locality, each through an audited service. Listings and their review
are read-only here: changing them in admin would bypass review and publication."""

from django.contrib import admin

from . import services
from .models import (
    DirectoryEditor,
    LocalityPostcodes,
    Organization,
    PostcodeCentroid,
    Service,
    ServiceChange,
    Taxonomy,
    TaxonomyTerm,
)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "website"]
    search_fields = ["name"]
    fields = ["name", "description", "email", "website", "logo", "uri", "parent", "agency"]

    def save_model(self, request, obj, form, change) -> None:
        services.organization_save(actor=request.user, organization=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DirectoryEditor)
class DirectoryEditorAdmin(admin.ModelAdmin):
    list_display = ["user", "organization"]
    list_filter = ["organization"]
    autocomplete_fields = ["organization"]

    def save_model(self, request, obj, form, change) -> None:
        editor = services.directory_editor_add(actor=request.user, user=obj.user, organization=obj.organization)
        obj.pk = editor.pk

    def delete_model(self, request, obj) -> None:
        services.directory_editor_remove(actor=request.user, editor=obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a link is added or removed, never edited


@admin.register(LocalityPostcodes)
class LocalityPostcodesAdmin(admin.ModelAdmin):
    list_display = ["locality", "postcode_districts"]

    def save_model(self, request, obj, form, change) -> None:
        services.locality_postcodes_set(
            actor=request.user, locality=obj.locality, districts=obj.postcode_districts.split()
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "review_status", "status", "assured_date"]
    list_filter = ["review_status", "status"]
    search_fields = ["name"]


@admin.register(ServiceChange)
class ServiceChangeAdmin(ReadOnlyAdmin):
    list_display = ["service", "proposed_by", "proposed_at", "status"]
    list_filter = ["status"]


@admin.register(Taxonomy)
class TaxonomyAdmin(ReadOnlyAdmin):
    list_display = ["name", "version"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(ReadOnlyAdmin):
    list_display = ["name", "taxonomy"]
    list_filter = ["taxonomy"]


@admin.register(PostcodeCentroid)
class PostcodeCentroidAdmin(ReadOnlyAdmin):
    list_display = ["postcode", "latitude", "longitude"]
    search_fields = ["postcode"]
