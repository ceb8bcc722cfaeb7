from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "insuredesk.complaints"
    label = "complaints"
    verbose_name = "Complaints"

    def ready(self) -> None:
        from insuredesk.casework.registry import register
        from insuredesk.complaints.choices import case_kind

        register(case_kind())
