from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "insuredesk.rules"
    label = "rules"
