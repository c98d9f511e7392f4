"""Admin: the system administrator manages the partnership's accounts, agencies, teams and localities.
A person's role, agency and team decide what they may see, so those changes go through the audited
services; no family's record is registered here (reading one must go through the access choke point)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import services
from .models import Agency, Locality, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "agency", "team", "is_active"]
    list_filter = ["role", "agency", "is_active"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Partnership", {"fields": ("role", "agency", "team", "job_title", "phone")}),
    )

    def save_model(self, request, obj, form, change) -> None:
        """Save the other fields as the admin does; the role, agency and team through their services."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        stored = User.objects.get(pk=obj.pk)
        role, agency, team = obj.role, obj.agency, obj.team
        obj.role, obj.agency_id, obj.team_id = stored.role, stored.agency_id, stored.team_id
        super().save_model(request, obj, form, change)
        services.user_agency_change(actor=request.user, user=obj, agency=agency)
        services.user_team_change(actor=request.user, user=obj, team=team)
        services.user_role_change(actor=request.user, user=obj, role=role)
        obj.refresh_from_db()


admin.site.register(Agency)
admin.site.register(Team)
admin.site.register(Locality)
