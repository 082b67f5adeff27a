from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world and the four case journeys (`koers demo`); no models. Sits above every domain app."""

    name = "koers.demo"
    label = "demo"
    verbose_name = "Demogegevens"
