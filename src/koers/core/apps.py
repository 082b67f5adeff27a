from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender, using="default", **kwargs):
    """The database cache (rate-limit counters shared by every worker) needs its table: `koers migrate` makes it."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "koers.core"
    label = "core"
    verbose_name = "Kern: organisaties, medewerkers, toegang en audit"

    def ready(self):
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="koers_create_cache_table")
        # Every form of the project: dates within 1900..2100, ids the database can hold (issue 10, item 8).
        from koers.core.formtools import install_input_limits

        install_input_limits()
        from koers.core import access, extensions, i18n

        i18n.register_languages()  # Tigrinya is not in Django's LANG_INFO

        extensions.register_home("core:organisation_list", access.can_manage_organisations, order=30)
