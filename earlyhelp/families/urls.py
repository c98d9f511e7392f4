from django.urls import path

from . import views

app_name = "families"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("known/", views.known_check, name="known-check"),
    path("new/", views.household_create, name="household-create"),
    path("people/<uuid:person_id>/", views.person_detail, name="person"),
    path("people/<uuid:person_id>/edit/", views.person_edit, name="person-edit"),
    path("people/<uuid:person_id>/relationships/new/", views.relationship_add, name="relationship-add"),
    path("people/<uuid:person_id>/nhs-number-missing/", views.person_nhs_missing, name="person-nhs-missing"),
    path("people/<uuid:person_id>/merge/", views.person_merge_pick, name="person-merge-pick"),
    path("people/<uuid:person_id>/merge/<uuid:duplicate_id>/", views.person_merge, name="person-merge"),
    path("merges/<int:merge_id>/", views.merge_detail, name="merge"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge-undo"),
    path("<uuid:household_id>/", views.household_detail, name="household"),
    path("<uuid:household_id>/members/new/", views.member_add, name="member-add"),
    path("<uuid:household_id>/members/known/", views.member_add_known, name="member-add-known"),
    path("<uuid:household_id>/members/<int:membership_id>/move-out/", views.member_move_out, name="member-move-out"),
]
