from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Agency, Locality, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "agency", "team", "is_active"]
    list_filter = ["role", "agency", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Partnership", {"fields": ("role", "agency", "team", "job_title", "phone")}),
    )


admin.site.register(Agency)
admin.site.register(Team)
admin.site.register(Locality)
