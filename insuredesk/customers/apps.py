from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    from insuredesk.customers.roles import sync_roles

    sync_roles()


class CustomersConfig(AppConfig):
    name = "insuredesk.customers"
    label = "customers"

    def ready(self) -> None:
        # Configuration, not business logic: the role groups must exist wherever the schema does,
        # and permissions only exist after every app has migrated.
        post_migrate.connect(_sync_roles, dispatch_uid="insuredesk.sync_roles")
