"""Admin: the indicators of the thresholds tool are configuration, editable here through an audited
service. No journey record is registered: requests, episodes, steps and the chronology hold
personal data, which is read only through the access choke point, with its audit, on the pages."""

from django.contrib import admin

from .configuration import indicator_save
from .models import NeedIndicator


@admin.register(NeedIndicator)
class NeedIndicatorAdmin(admin.ModelAdmin):
    list_display = ["label", "domain", "weight", "minimum_level", "active"]
    list_filter = ["domain", "active"]
    list_editable = ["weight", "minimum_level", "active"]
    ordering = ["domain", "position", "label"]

    def save_model(self, request, obj, form, change) -> None:
        indicator_save(actor=request.user, indicator=obj, changed=list(form.changed_data))

    def has_delete_permission(self, request, obj=None) -> bool:
        # An indicator that judged a family's level stays in its history: make it inactive instead.
        return False
