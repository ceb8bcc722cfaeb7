"""Work queue and timelines."""

from django.urls import path

from insuredesk.casework import views

portal = [
    path("timeline/", views.portal_timeline, name="timeline"),
    path("cases/<str:reference>/", views.portal_case, name="case-timeline"),
]
console = [
    path("queue/", views.queue, name="queue"),
    path("cases/<str:reference>/", views.case_detail, name="case"),
    path("cases/<str:reference>/assign/", views.assign, name="case-assign"),
    path("customers/<str:number>/timeline/", views.customer_timeline, name="customer-timeline"),
]
portal_menu = [("Timeline", "portal:timeline")]
console_menu = [("Work queue", "console:queue")]
