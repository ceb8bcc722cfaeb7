from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "insuredesk.complaints"
    label = "complaints"
