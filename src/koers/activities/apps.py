from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "koers.activities"
    label = "activities"
    verbose_name = "Activiteiten, rooster en aanwezigheid"
