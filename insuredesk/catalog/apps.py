from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "insuredesk.catalog"
    label = "catalog"
