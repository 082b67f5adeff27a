from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "koers.plans"
    label = "plans"
    verbose_name = "Plan en leerroute"
