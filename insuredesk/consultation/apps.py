from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "insuredesk.consultation"
    label = "consultation"
    verbose_name = "Consultation"

    def ready(self) -> None:
        from insuredesk.casework.registry import CaseKind, register
        from insuredesk.consultation.choices import (
            CLOCKS,
            CLOSED_STATUSES,
            TRANSITIONS,
            ConsultationStatus,
        )

        register(
            CaseKind(
                kind="consultation",
                prefix="CON",
                label="Consultation",
                initial_status=ConsultationStatus.ASKED,
                transitions=TRANSITIONS,
                closed_statuses=CLOSED_STATUSES,
                clocks=CLOCKS,
                status_labels=dict(ConsultationStatus.choices),
                console_url="console:consultation-detail",
                portal_url="portal:consultation-detail",
            )
        )
