"""The standard paragraphs of complaint responses, per jurisdiction profile.

The administrator edits them in the admin (`ResponseWording`); until a row exists the defaults
below are used. They state the facts of the rules in our own words (GB-08, GB-09, GB-11, GB-12;
CN-29, CN-31) and should be reviewed by the insurer's compliance officer before go-live.
"""

from insuredesk.complaints.choices import WaiverPosition
from insuredesk.complaints.models import ResponseWording

DEFAULTS: dict[str, dict] = {
    "GB": {
        "referral_paragraph": (
            "If you are unhappy with this response, you can ask the Financial Ombudsman Service "
            "to look at your complaint. It is free and independent of us. You need to contact "
            "it within six months of the date of this letter; after that it may not be able to "
            "help. Details of how to refer, including its leaflet, are on its website."
        ),
        "other_remedies_paragraph": (
            "Referring to the ombudsman does not affect your right to take legal action."
        ),
        "waiver_position": WaiverPosition.NO_CONSENT,
        "waiver_paragraph": (
            "If you refer your complaint after the time limits have passed, we will not agree to "
            "the ombudsman considering it, although the ombudsman may still decide to do so if "
            "it finds exceptional circumstances."
        ),
        "website": "https://www.financial-ombudsman.org.uk",
        "referral_months": 6,
        "review_days": 30,
    },
    "CN": {
        "referral_paragraph": (
            "If you disagree with this decision, you may ask our superior body to review it "
            "within 30 days of receiving this notice."
        ),
        "other_remedies_paragraph": (
            "You may also ask for mediation by a financial dispute mediation organisation, apply "
            "for arbitration under an arbitration agreement, or bring proceedings in a people's "
            "court."
        ),
        "waiver_position": "",
        "waiver_paragraph": "",
        "website": "",
        "referral_months": 6,
        "review_days": 30,
    },
}


def wording_for(jurisdiction: str) -> ResponseWording:
    """The administrator's wording for the profile, else the shipped default (unsaved)."""
    code = jurisdiction.upper()
    row = ResponseWording.objects.filter(jurisdiction=code).first()
    if row is not None:
        return row
    return ResponseWording(jurisdiction=code, **DEFAULTS.get(code, DEFAULTS["CN"]))
