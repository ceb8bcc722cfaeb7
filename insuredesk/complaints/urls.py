"""Pages of the complaints app: `portal` for customers, `console` for staff."""

from django.urls import path

from insuredesk.complaints import views

portal = [
    path("complaints/", views.portal_list, name="complaints"),
    path("complaints/new/", views.portal_new, name="complaint-new"),
    path("complaints/<str:reference>/", views.portal_detail, name="complaint-detail"),
    path("complaints/<str:reference>/<slug:action>/", views.portal_action, name="complaint-action"),
]
console = [
    path("complaints/", views.console_list, name="complaints"),
    path("complaints/extensions/", views.console_extensions, name="complaint-extensions"),
    path("complaints/plans/", views.console_plans, name="complaint-plans"),
    path("complaints/plans/<str:public_id>/", views.console_plan, name="complaint-plan"),
    path("complaints/analytics/", views.console_analytics, name="complaint-analytics"),
    path("complaints/analytics.csv", views.console_analytics_csv, name="complaint-analytics-csv"),
    path("complaints/<str:reference>/", views.console_detail, name="complaint-detail"),
    path(
        "complaints/<str:reference>/<slug:action>/", views.console_action, name="complaint-action"
    ),
]
portal_menu = [("Complaints", "portal:complaints")]
console_menu = [
    ("Complaints", "console:complaints"),
    ("Improvement plans", "console:complaint-plans"),
    ("Complaint analytics", "console:complaint-analytics"),
]
