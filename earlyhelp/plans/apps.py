from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "earlyhelp.plans"
    label = "plans"
    verbose_name = "Family plans and Team Around the Family"
