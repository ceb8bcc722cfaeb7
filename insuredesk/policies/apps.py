from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "insuredesk.policies"
    label = "policies"
