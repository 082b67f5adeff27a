from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "koers.plans"
    label = "plans"
    verbose_name = "Plan en leerroute"

    def ready(self) -> None:
        from koers.participants import panels
        from koers.plans.queries import plans as queries

        panels.register("plan_panel", "plans/_panel.html", order=30,
                        build=lambda request, participant, grant: queries.panel(participant, grant))
