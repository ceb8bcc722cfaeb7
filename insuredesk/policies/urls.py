"""Policy pages: the customer's own policies in the portal, the staff view, and premiums."""

from django.urls import path

from insuredesk.policies import surrender_views, views, visit_urls

portal = [
    path("", views.portal_home, name="home"),
    path("policies/<str:number>/", views.portal_policy, name="policy"),
    path("policies/<str:number>/cancel/", views.portal_cancel, name="policy-cancel"),
    # premiums
    path("premiums/", views.portal_premiums, name="premiums"),
    path("policies/<str:number>/pay/", views.portal_pay, name="policy-pay"),
    path("policies/<str:number>/reinstate/", views.portal_reinstate, name="policy-reinstate"),
    path("arrears/<str:reference>/", views.portal_arrears, name="arrears"),
    # surrender
    path(
        "policies/<str:number>/surrender/",
        surrender_views.portal_surrender,
        name="policy-surrender",
    ),
    path("surrenders/<str:reference>/", surrender_views.portal_case, name="surrender"),
]
console = [
    path("policies/<str:number>/", views.console_policy, name="policy"),
    path("policies/<str:number>/cancel/", views.console_cancel, name="policy-cancel"),
    # premiums
    path("premiums/", views.console_premiums, name="premiums"),
    path("policies/<str:number>/pay/", views.console_pay, name="policy-pay"),
    path("policies/<str:number>/reinstate/", views.console_reinstate, name="policy-reinstate"),
    path(
        "policies/<str:number>/reinstatement/decision/",
        views.console_decide_reinstatement,
        name="policy-reinstatement-decide",
    ),
    path("arrears/<str:reference>/", views.console_arrears, name="arrears"),
    # surrender
    path(
        "policies/<str:number>/surrender/",
        surrender_views.console_surrender,
        name="policy-surrender",
    ),
    path(
        "policies/<str:number>/surrender/refund/",
        surrender_views.console_refund,
        name="policy-surrender-refund",
    ),
    path("surrenders/<str:reference>/", surrender_views.console_case, name="surrender"),
]

# Regular visits have their own URL module (visit_urls.py); their pages and menu entries join here.
portal += visit_urls.portal
console += visit_urls.console
portal_menu = [("Premiums", "portal:premiums"), *visit_urls.portal_menu]
console_menu = [("Premiums", "console:premiums"), *visit_urls.console_menu]
