"""Pages of the notifications app: `portal` for customers, `console` for staff."""

from django.urls import path

from insuredesk.notifications import views

portal = [
    path("inbox/", views.portal_inbox, name="inbox"),
    path("inbox/<uuid:public_id>/read/", views.portal_mark_read, name="inbox-read"),
]
console = [
    path("inbox/", views.console_inbox, name="inbox"),
    path("inbox/<uuid:public_id>/read/", views.console_mark_read, name="inbox-read"),
]
portal_menu = [("Inbox", "portal:inbox")]
console_menu = [("Inbox", "console:inbox")]
