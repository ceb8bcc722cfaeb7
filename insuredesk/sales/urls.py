"""Application pages: apply and follow one's own in the portal; underwrite in the console."""

from django.urls import path

from insuredesk.sales import views

portal = [
    path("apply/<str:code>/", views.portal_apply, name="apply"),
    path("applications/", views.portal_applications, name="applications"),
    path("applications/<str:reference>/", views.portal_application, name="application"),
    path(
        "applications/<str:reference>/accept/",
        views.portal_accept,
        name="application-accept",
    ),
    path(
        "applications/<str:reference>/withdraw/",
        views.portal_withdraw,
        name="application-withdraw",
    ),
]
console = [
    path("applications/", views.console_applications, name="applications"),
    path("applications/<str:reference>/", views.console_application, name="application"),
    path(
        "applications/<str:reference>/decision/",
        views.console_decide,
        name="application-decide",
    ),
    path("applications/<str:reference>/exams/", views.console_exam, name="application-exam"),
    path(
        "applications/<str:reference>/exams/<uuid:exam_id>/result/",
        views.console_exam_result,
        name="application-exam-result",
    ),
    path(
        "applications/<str:reference>/recording/",
        views.console_recording,
        name="application-recording",
    ),
    path(
        "applications/<str:reference>/accept/",
        views.console_accept,
        name="application-accept",
    ),
    path(
        "applications/<str:reference>/withdraw/",
        views.console_withdraw,
        name="application-withdraw",
    ),
    path(
        "customers/<str:number>/applications/",
        views.console_customer_applications,
        name="customer-applications",
    ),
    path("customers/<str:number>/apply/<str:code>/", views.console_apply, name="apply"),
]
portal_menu = [("Applications", "portal:applications")]
console_menu = [("Applications", "console:applications")]
