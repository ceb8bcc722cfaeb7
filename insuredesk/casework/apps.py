from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "insuredesk.casework"
    label = "casework"
