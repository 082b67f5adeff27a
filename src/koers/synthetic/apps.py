from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    """Synthetic data: the population of `koers generate` (benchmarks, tests) and the NBNB reference rows; no
    models. Sits above every domain app, below the demo (which draws its caseload with it)."""

    name = "koers.synthetic"
    label = "synthetic"
    verbose_name = "Synthetische gegevens"
