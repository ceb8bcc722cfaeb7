from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "insuredesk.web"
    label = "web"
