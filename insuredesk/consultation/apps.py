from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "insuredesk.consultation"
    label = "consultation"
