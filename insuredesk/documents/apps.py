from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "insuredesk.documents"
    label = "documents"
