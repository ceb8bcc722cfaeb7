from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "insuredesk.notifications"
    label = "notifications"
