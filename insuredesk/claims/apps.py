from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "insuredesk.claims"
    label = "claims"
