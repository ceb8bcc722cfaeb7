"""Pages of the documents app: `portal` for customers, `console` for staff."""

from django.urls import path

from insuredesk.documents import views

portal = [
    path("letters/", views.portal_letters, name="letter-list"),
    path("letters/<uuid:public_id>/", views.portal_letter_pdf, name="letter-pdf"),
]
console = [
    path("letters/", views.console_letters, name="letter-list"),
    path("letters/<uuid:public_id>/", views.console_letter_pdf, name="letter-pdf"),
]
portal_menu = [("My letters", "portal:letter-list")]
console_menu = [("Letters", "console:letter-list")]
