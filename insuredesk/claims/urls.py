"""Pages of the claims app: `portal` for customers, `console` for staff."""

from django.urls import path

from insuredesk.claims import views

portal = [
    path("claims/", views.portal_claims, name="claims"),
    path("claims/report/", views.portal_report, name="claim-report"),
    path("claims/<str:reference>/", views.portal_claim, name="claim-detail"),
    path("claims/<str:reference>/documents/", views.portal_upload, name="claim-upload"),
    path("claims/<str:reference>/offers/<int:number>/", views.portal_offer, name="claim-offer"),
    path("claims/<str:reference>/contest/", views.portal_contest, name="claim-contest"),
    path("claim-disputes/<str:reference>/", views.portal_dispute, name="claim-dispute"),
    path("claim-letters/<str:public_id>/", views.portal_letter, name="claim-letter"),
]
console = [
    path("claims/", views.console_queue, name="claims"),
    path("claims/appointments/", views.console_appointments, name="claim-appointments"),
    path("claims/<str:reference>/", views.console_claim, name="claim-detail"),
    path("claims/<str:reference>/do/<slug:action>/", views.console_action, name="claim-action"),
    path(
        "claims/<str:reference>/surveys/<int:survey_id>/report/",
        views.console_survey_report,
        name="claim-survey-report",
    ),
    path("claim-disputes/<str:reference>/", views.console_dispute, name="claim-dispute"),
    path(
        "claim-disputes/<str:reference>/do/",
        views.console_dispute_action,
        name="claim-dispute-action",
    ),
    path("claim-letters/<str:public_id>/", views.console_letter, name="claim-letter"),
]
portal_menu = [("Claims", "portal:claims"), ("Report a claim", "portal:claim-report")]
console_menu = [("Claims", "console:claims"), ("Appointments", "console:claim-appointments")]
