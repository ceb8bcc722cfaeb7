"""Visit pages, mounted by policies/urls.py under the portal and console namespaces."""

from django.urls import path

from insuredesk.policies import visit_views as views

portal = [
    path("visits/", views.portal_visits, name="visits"),
    path("visits/request/", views.portal_request, name="visit-request"),
    path("visits/<str:reference>/", views.portal_visit, name="visit"),
    path("visits/<str:reference>/propose/", views.portal_propose, name="visit-propose"),
    path("visits/<str:reference>/decline/", views.portal_decline, name="visit-decline"),
    path("visits/<str:reference>/rate/", views.portal_rate, name="visit-rate"),
]
console = [
    path("visits/", views.console_visits, name="visits"),
    path("visits/<str:reference>/", views.console_visit, name="visit"),
    path("visits/<str:reference>/schedule/", views.console_schedule, name="visit-schedule"),
    path("visits/<str:reference>/outcome/", views.console_outcome, name="visit-outcome"),
    path("visits/<str:reference>/follow-ups/", views.console_follow_up, name="visit-follow-up"),
    path(
        "visits/<str:reference>/follow-ups/<uuid:follow_up_id>/done/",
        views.console_task_done,
        name="visit-task-done",
    ),
    path("visits/<str:reference>/assign/", views.console_assign, name="visit-assign"),
    path("customers/<str:number>/visits/", views.console_request, name="customer-visit-request"),
]
portal_menu = [("Visits", "portal:visits")]
console_menu = [("Visits", "console:visits")]
