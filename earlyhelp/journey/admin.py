"""Admin: indicators of the thresholds tool are configuration and editable; every workflow record is
read-only here, because changing its state in admin would bypass the rules of the journey."""

from django.contrib import admin

from .models import (
    ChronologyEntry,
    Episode,
    EpisodeClosure,
    FeedbackInvitation,
    LevelOfNeed,
    NeedIndicator,
    StepDown,
    StepPromptNotice,
    StepUp,
    SupportRequest,
)


@admin.register(NeedIndicator)
class NeedIndicatorAdmin(admin.ModelAdmin):
    list_display = ["label", "domain", "weight", "minimum_level", "active"]
    list_filter = ["domain", "active"]
    list_editable = ["weight", "minimum_level", "active"]
    ordering = ["domain", "position", "label"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


for model, columns in [
    (SupportRequest, ["reference", "source", "status", "received_at", "triage_due_at"]),
    (Episode, ["household", "status", "opened_on", "closed_on"]),
    (LevelOfNeed, ["household", "level", "suggested_level", "recorded_at"]),
    (StepUp, ["household", "status", "requested_at"]),
    (StepDown, ["household", "status", "requested_at", "accept_by"]),
    (StepPromptNotice, ["household", "direction", "created_at"]),
    (EpisodeClosure, ["episode", "reason", "closed_at"]),
    (FeedbackInvitation, ["episode", "created_at", "responded_at", "rating"]),
    (ChronologyEntry, ["household", "occurred_at", "kind", "summary"]),
]:
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": columns}))
