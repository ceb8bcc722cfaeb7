"""Pages of the consultation app: `portal` for customers, `console` for staff."""

from django.urls import path

from insuredesk.consultation import views

portal = [
    path("ask/", views.portal_ask, name="consultation-ask"),
    path("consultations/", views.portal_list, name="consultation-list"),
    path("consultations/<str:reference>/", views.portal_detail, name="consultation-detail"),
    path(
        "consultations/<str:reference>/person/",
        views.portal_ask_person,
        name="consultation-ask-person",
    ),
    path(
        "consultations/<str:reference>/messages/<uuid:message_id>/rate/",
        views.portal_rate,
        name="consultation-rate",
    ),
    path("explain/<slug:code>/", views.portal_explain, name="consultation-explain"),
    path(
        "explanations/<uuid:public_id>/", views.portal_explanation, name="consultation-explanation"
    ),
    path("lectures/", views.portal_lectures, name="consultation-lectures"),
    path(
        "lectures/<uuid:public_id>/register/",
        views.portal_register,
        name="consultation-lecture-register",
    ),
    path(
        "lectures/registrations/<uuid:public_id>/cancel/",
        views.portal_cancel_registration,
        name="consultation-lecture-cancel",
    ),
]
console = [
    path("consultations/", views.console_queue, name="consultation-queue"),
    path("consultations/<str:reference>/", views.console_detail, name="consultation-detail"),
    path("consultations/<str:reference>/close/", views.console_close, name="consultation-close"),
    path(
        "consultations/<str:reference>/messages/<uuid:message_id>/promote/",
        views.console_promote,
        name="consultation-promote",
    ),
    path("kb/", views.console_articles, name="consultation-articles"),
    path("kb/new/", views.console_article, name="consultation-article-new"),
    path("kb/import/", views.console_import, name="consultation-import"),
    path("kb/<str:external_id>/", views.console_article, name="consultation-article"),
    path(
        "kb/<str:external_id>/<slug:step>/",
        views.console_article_step,
        name="consultation-article-step",
    ),
    path("lectures/", views.console_lectures, name="consultation-lectures"),
    path("lectures/<uuid:public_id>/", views.console_lecture, name="consultation-lecture"),
    path(
        "customers/<str:number>/explanations/",
        views.console_customer_explanations,
        name="consultation-customer-explanations",
    ),
    path(
        "explanations/<uuid:public_id>/", views.console_explanation, name="consultation-explanation"
    ),
]
portal_menu = [
    ("Ask us", "portal:consultation-ask"),
    ("My questions", "portal:consultation-list"),
    ("Lectures", "portal:consultation-lectures"),
]
console_menu = [
    ("Consultations", "console:consultation-queue"),
    ("Knowledge base", "console:consultation-articles"),
    ("Lectures", "console:consultation-lectures"),
]
