"""Risk-planning pages: the risk check, its plan and proposals in the portal; the proposal queue,
drafting and approval, and risk checks with a customer in the console."""

from django.urls import path

from insuredesk.planning import views

portal = [
    path("planning/", views.portal_planning, name="planning"),
    path("planning/risk-check/", views.portal_risk_check, name="risk-check"),
    path(
        "planning/assessments/<uuid:public_id>/",
        views.portal_assessment,
        name="risk-assessment",
    ),
    path(
        "planning/assessments/<uuid:public_id>/budget/",
        views.portal_budget,
        name="risk-assessment-budget",
    ),
    path(
        "planning/assessments/<uuid:public_id>/proposal/",
        views.portal_request_proposal,
        name="risk-assessment-proposal",
    ),
    path("planning/proposals/<str:reference>/", views.portal_proposal, name="proposal"),
    path(
        "planning/proposals/<str:reference>/accept/",
        views.portal_proposal_accept,
        name="proposal-accept",
    ),
    path(
        "planning/proposals/<str:reference>/decline/",
        views.portal_proposal_decline,
        name="proposal-decline",
    ),
    path(
        "planning/proposals/<str:reference>/withdraw/",
        views.portal_proposal_withdraw,
        name="proposal-withdraw",
    ),
]
console = [
    path("proposals/", views.console_proposals, name="proposals"),
    path("proposals/<str:reference>/", views.console_proposal, name="proposal"),
    path("proposals/<str:reference>/draft/", views.console_draft, name="proposal-draft"),
    path("proposals/<str:reference>/return/", views.console_return, name="proposal-return"),
    path("proposals/<str:reference>/approve/", views.console_approve, name="proposal-approve"),
    path(
        "proposals/<str:reference>/accept/",
        views.console_proposal_accept,
        name="proposal-accept",
    ),
    path(
        "proposals/<str:reference>/decline/",
        views.console_proposal_decline,
        name="proposal-decline",
    ),
    path(
        "proposals/<str:reference>/withdraw/",
        views.console_proposal_withdraw,
        name="proposal-withdraw",
    ),
    path(
        "risk-assessments/<uuid:public_id>/",
        views.console_assessment,
        name="risk-assessment",
    ),
    path(
        "risk-assessments/<uuid:public_id>/budget/",
        views.console_budget,
        name="risk-assessment-budget",
    ),
    path(
        "risk-assessments/<uuid:public_id>/proposal/",
        views.console_request_proposal,
        name="risk-assessment-proposal",
    ),
    path(
        "customers/<str:number>/planning/",
        views.console_customer_planning,
        name="customer-planning",
    ),
    path("customers/<str:number>/risk-check/", views.console_risk_check, name="risk-check"),
]
portal_menu = [("Risk planning", "portal:planning")]
console_menu = [("Proposals", "console:proposals")]
