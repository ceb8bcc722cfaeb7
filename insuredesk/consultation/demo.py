# ruff: noqa: RUF001  (Chinese articles use full-width punctuation, as Chinese text does)
"""Demo data of the consultation app, loaded by `insuredesk demo` (idempotent).

Knowledge-base articles written for InsureDesk's demonstration catalogue (English, a few in
Chinese), one consultation the engine answered citing a clause, one waiting for an agent, an
explanation of the home product's clauses acknowledged by Alice online, and two upcoming free
lectures with registrations. Nothing here needs the InsuranceQA download.
"""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.auth import get_user_model

ARTICLES = [
    # (id, question, answer, language, tags, products)
    (
        "gen-cooling-off",
        "Can I change my mind after buying a policy?",
        "Yes. Personal policies longer than one year have a cooling-off period of at least 15 days "
        "from the day you receive the policy. Cancel within it and we refund the premium, less any "
        "small fee for a medical examination we paid for.",
        "en",
        ["cooling-off", "cancel"],
        [],
    ),
    (
        "gen-report-claim",
        "How do I report a claim?",
        "Tell us as soon as you can: in the portal under Claims, through the API, or by phone. "
        "Give "
        "the policy number, what happened, when and where. We confirm receipt at once and tell you "
        "which documents we need.",
        "en",
        ["claims", "how-to"],
        [],
    ),
    (
        "gen-claim-documents",
        "Which documents do I need for a claim?",
        "It depends on the cover: usually the claim form, proof of the loss (photos, a police or "
        "fire brigade report, medical records) and proof of value (invoices, quotations). We send "
        "you one complete list; if we need anything more we ask once, in writing.",
        "en",
        ["claims", "documents"],
        [],
    ),
    (
        "gen-claim-time",
        "How long does it take to decide a claim?",
        "Once we have the documents we decide promptly; in mainland China complex cases are "
        "decided "
        "within 30 days. If the claim is accepted we pay within 10 days of agreeing the amount.",
        "en",
        ["claims", "deadlines"],
        [],
    ),
    (
        "gen-grace-period",
        "What happens if I pay a premium late?",
        "For life and health policies with regular premiums there is a grace period of 60 days "
        "after "
        "the due date. You stay covered during it. After it, the policy is suspended until you "
        "pay; "
        "you may reinstate it within two years.",
        "en",
        ["premium", "grace"],
        [],
    ),
    (
        "gen-disclosure",
        "Do I have to tell you about my health?",
        "You must answer truthfully the questions we ask on the application. You do not need to "
        "volunteer things we did not ask about. Wrong answers on important points can let us "
        "cancel "
        "the policy, so ask an agent if a question is unclear.",
        "en",
        ["disclosure"],
        [],
    ),
    (
        "gen-exemption",
        "What is an exemption clause?",
        "An exemption clause says when we do not pay or pay less. Each is marked in your policy "
        "and "
        "we must explain it to you in plain words before you buy; you can read every exemption "
        "clause with its explanation on the product page and confirm you understood it.",
        "en",
        ["clauses", "exemption"],
        [],
    ),
    (
        "gen-complaint",
        "How do I make a complaint?",
        "Use Complaints in the portal, call us, or write to us. We confirm receipt, investigate "
        "and "
        "answer in writing with our reasons and what you can do if you disagree.",
        "en",
        ["complaints"],
        [],
    ),
    (
        "gen-beneficiary",
        "How do I change the beneficiary of my life policy?",
        "The policyholder asks us in writing or in the portal; if the policyholder is not the "
        "insured, the insured must agree. The change applies from the day we record it.",
        "en",
        ["life", "beneficiary"],
        [],
    ),
    (
        "gen-address-change",
        "How do I update my address or phone number?",
        "Change it in the portal under your profile, or tell an agent. Letters and reminders go to "
        "the details we hold, so keep them current.",
        "en",
        ["profile"],
        [],
    ),
    (
        "gen-sum-insured",
        "What is the sum insured?",
        "The most we pay under a cover, as shown in your policy schedule. Choose it to match what "
        "you would need: the rebuild cost of a home, the value of a car, or the income your family "
        "would need.",
        "en",
        ["basics"],
        [],
    ),
    (
        "gen-deductible",
        "What is a deductible (excess)?",
        "The part of each claim you carry yourself. If the deductible is 500 and the repair costs "
        "3,000, we pay 2,500. A higher deductible means a lower premium.",
        "en",
        ["basics"],
        [],
    ),
    (
        "gen-lectures",
        "Do you run free information sessions?",
        "Yes, free lectures on insurance topics are listed in the portal under Lectures. Anyone "
        "may "
        "register; if a lecture is full you join the waiting list and get a seat when one frees "
        "up.",
        "en",
        ["lectures"],
        [],
    ),
    (
        "home-what-covered",
        "What does the home insurance cover?",
        "Harbour Home Property covers the building against fire, explosion, lightning, storm, "
        "flood "
        "and escape of water, and, if you add it, your contents against the same events and "
        "burglary.",
        "en",
        ["home"],
        ["harbour-home"],
    ),
    (
        "home-burst-pipe",
        "Is water damage from a burst pipe covered?",
        "Yes: sudden escape of water from a burst pipe is covered under the building cover, and "
        "under contents cover for your belongings. Slow leaks that cause gradual damage over "
        "months "
        "are not covered; see the wear and tear clause.",
        "en",
        ["home", "water"],
        ["harbour-home"],
    ),
    (
        "home-burglary",
        "What should I do after a burglary?",
        "Report it to the police within 24 hours and keep the report number, photograph the forced "
        "entry, list what was taken with proof of value, then report the claim to us.",
        "en",
        ["home", "burglary"],
        ["harbour-home"],
    ),
    (
        "home-empty",
        "Am I covered if my home is empty for a long time?",
        "Some losses are not covered while the home has been unoccupied for a long continuous "
        "period; the empty home clause gives the details. Tell us before a long absence and ask "
        "what you can do.",
        "en",
        ["home"],
        ["harbour-home"],
    ),
    (
        "home-earthquake",
        "Does home insurance cover earthquakes?",
        "No. Earthquake, war and nuclear events are excluded by the policy.",
        "en",
        ["home", "exclusion"],
        ["harbour-home"],
    ),
    (
        "motor-what-covered",
        "What does the comprehensive motor policy cover?",
        "Harbour Motor Comprehensive covers damage to your car, theft of the car and your legal "
        "liability to other people for injury or damage you cause while driving.",
        "en",
        ["motor"],
        ["harbour-motor"],
    ),
    (
        "motor-accident-steps",
        "What do I do after a car accident?",
        "Make the scene safe, call the police if anyone is hurt or the road is blocked, take "
        "photos, "
        "exchange details with the other driver, and report the claim to us as soon as you can. Do "
        "not admit liability or agree payments yourself.",
        "en",
        ["motor", "accident"],
        ["harbour-motor"],
    ),
    (
        "motor-drink-driving",
        "Am I covered if I drive after drinking?",
        "No. Losses while the driver is under the influence of alcohol or drugs are excluded, and "
        "we may recover from the driver what we had to pay to third parties.",
        "en",
        ["motor", "exclusion"],
        ["harbour-motor"],
    ),
    (
        "ci-waiting",
        "Is there a waiting period on critical illness cover?",
        "Yes: an illness first diagnosed within 90 days after the cover starts is not covered, and "
        "we refund the premium for it. After the waiting period, a first diagnosis of a listed "
        "illness pays the benefit.",
        "en",
        ["critical illness", "waiting period"],
        ["harbour-critical-illness"],
    ),
    (
        "ci-pre-existing",
        "Are illnesses I already had covered?",
        "Conditions you had before the cover started are not covered unless we accepted them in "
        "writing when we underwrote your application.",
        "en",
        ["critical illness", "exclusion"],
        ["harbour-critical-illness"],
    ),
    (
        "life-what-pays",
        "What does the term life policy pay?",
        "Harbour Term Life pays the sum insured to your beneficiaries if the insured dies during "
        "the "
        "term, or earlier on a diagnosis of terminal illness.",
        "en",
        ["life"],
        ["harbour-term-life"],
    ),
    (
        "life-term-ends",
        "What happens when a term life policy ends?",
        "Cover stops at the end of the term. Term life has no savings part, so nothing is paid "
        "back "
        "if the insured is alive at the end.",
        "en",
        ["life"],
        ["harbour-term-life"],
    ),
    (
        "zh-cooling-off",
        "买了保险以后还能退吗？",
        "可以。一年期以上的人身保险有不少于15天的犹豫期，自收到保单之日起计算。"
        "在犹豫期内退保，我们退还已交保费。",
        "zh",
        ["犹豫期"],
        [],
    ),
    (
        "zh-report-claim",
        "怎么报案理赔？",
        "出险后请尽快通过客户门户、接口或电话报案，提供保单号、出险经过、时间和地点。"
        "我们会一次性告知需要的材料。",
        "zh",
        ["理赔"],
        [],
    ),
    (
        "zh-grace",
        "保费晚交了怎么办？",
        "定期交费的人身保险有60天宽限期，宽限期内保障继续有效；超过宽限期保单中止，"
        "两年内可以申请复效。",
        "zh",
        ["保费"],
        [],
    ),
    (
        "zh-exemption",
        "什么是免责条款？",
        "免责条款说明保险公司在哪些情况下不赔或少赔。投保前我们必须以清楚易懂的方式向您说明，"
        "您也可以在产品页面逐条阅读并确认。",
        "zh",
        ["条款"],
        [],
    ),
    (
        "zh-complaint",
        "怎么投诉？",
        "您可以在客户门户提交投诉、致电或来函。我们会确认受理、调查并书面答复。",
        "zh",
        ["投诉"],
        [],
    ),
]

# A clear question about a demo product: the engine answers it at once citing clause 2.1 of the
# home product (calibrated confidence ~0.9). The second is out of scope and waits for an agent.
ANSWERED_QUESTION = "Does my home insurance pay if a pipe bursts and floods the kitchen?"
WAITING_QUESTION = "Can I insure the racing pigeons I keep on my roof?"


def _jsonl() -> str:
    keys = ("id", "question", "answer", "language", "tags", "products")
    return "".join(
        json.dumps(dict(zip(keys, row, strict=True)), ensure_ascii=False) + "\n" for row in ARTICLES
    )


def load(*, stdout, now: dt.datetime) -> None:
    from insuredesk.catalog.models import Product

    if not Product.objects.filter(code="harbour-home").exists():
        stdout.write("    consultation: the demo catalogue is missing; skipped")
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["alice", "mallory", "dave", "carol"])
    }
    _articles(stdout, now)
    _consultations(stdout, now, users)
    _explanation(stdout, now, users)
    _lectures(stdout, now, users)


def _articles(stdout, now) -> None:
    from insuredesk.consultation import knowledge, services

    result = services.import_articles(
        text=_jsonl(), fmt="jsonl", actor=None, now=now, refresh_index=False
    )
    # The demo rebuilds the whole index so that clauses of the freshly loaded catalogue are in.
    index = knowledge.rebuild_index()
    stdout.write(
        f"    knowledge base: {result.created} articles added, {result.updated} updated; "
        f"index of {len(index)} passages"
    )


def _consultations(stdout, now, users) -> None:
    from insuredesk.consultation import services
    from insuredesk.consultation.choices import ConsultationStatus
    from insuredesk.consultation.models import Consultation
    from insuredesk.policies.models import Policy

    alice, dave = users.get("alice"), users.get("dave")
    if alice is None or dave is None:
        return
    mine = Consultation.objects.filter(asker__user=alice)
    if not mine.filter(case__title=ANSWERED_QUESTION).exists():
        policy = Policy.objects.filter(
            policyholder__user=alice, product_version__product__code="harbour-home"
        ).first()
        asked = services.ask_question(
            actor=alice,
            question=ANSWERED_QUESTION,
            now=now - dt.timedelta(days=2),
            product=None if policy else "harbour-home",
            policy=policy.number if policy else None,
        ).consultation
        how = "answered automatically citing " + ", ".join(
            source.ref for m in asked.messages.filter(automatic=True) for source in m.sources.all()
        )
        if asked.case.status == ConsultationStatus.AWAITING_AGENT:
            # Only with a threshold set above the calibrated confidence of this clear question.
            how = "answered by dave"
            clause = "clause:harbour-home:1:2.1"
            services.answer_consultation(
                consultation=asked,
                actor=dave,
                now=now - dt.timedelta(days=2, hours=-1),
                body="Yes. A sudden burst pipe is escape of water, covered under clause 2.1 of "
                "your home policy; report it with photos and the plumber's invoice.",
                sources=[clause],
            )
        stdout.write(f"    consultation {asked.case.reference}: {how}")
    if not mine.filter(case__title=WAITING_QUESTION).exists():
        waiting = services.ask_question(
            actor=alice, question=WAITING_QUESTION, now=now - dt.timedelta(hours=3)
        ).consultation
        if waiting.case.status != ConsultationStatus.AWAITING_AGENT:
            services.ask_for_person(
                consultation=waiting, actor=alice, now=now - dt.timedelta(hours=2)
            )
        stdout.write(f"    consultation {waiting.case.reference}: waiting for an agent")


def _explanation(stdout, now, users) -> None:
    from insuredesk.catalog.models import ProductVersion
    from insuredesk.consultation import services
    from insuredesk.consultation.models import ClauseExplanation
    from insuredesk.policies.models import Policy

    alice = users.get("alice")
    if alice is None or ClauseExplanation.objects.filter(customer__user=alice).exists():
        return
    policy = (
        Policy.objects.filter(policyholder__user=alice).select_related("product_version").first()
    )
    version = (
        policy.product_version
        if policy
        else ProductVersion.objects.filter(product__code="harbour-home").first()
    )
    if version is None:
        stdout.write("    clause explanation: harbour-home has no version; skipped")
        return
    exemptions = [c.number for c in version.clauses.all() if c.is_exemption]
    services.acknowledge_online(
        actor=alice,
        product_version=version,
        acknowledged=exemptions,
        now=now - dt.timedelta(days=1),
        policy=policy.number if policy else None,
    )
    stdout.write(
        f"    clause explanation of {version} acknowledged by alice "
        f"({len(exemptions)} exemption clauses)"
    )


def _lectures(stdout, now, users) -> None:
    from insuredesk.consultation import services
    from insuredesk.consultation.models import Lecture
    from insuredesk.consultation.services.consultations import prospect

    dave = users.get("dave")
    if dave is None:
        return
    plans = [
        (
            "Protecting your home: what home insurance does and does not cover",
            "Home property",
            "Chen Jing, senior agent",
            3,
            "Harbour Centre, 12 Bund Road, Room 2",
            "",
            2,
        ),
        (
            "Critical illness cover explained",
            "Health",
            "Dr. Wang Lei",
            10,
            "",
            "https://meet.example.com/harbour-ci",
            50,
        ),
    ]
    made = 0
    for title, topic, speaker, days, venue, link, capacity in plans:
        if Lecture.objects.filter(title=title).exists():
            continue
        starts = (now + dt.timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
        lecture = services.publish_lecture(
            actor=dave,
            now=now,
            title=title,
            topic=topic,
            speaker=speaker,
            starts_at=starts,
            capacity=capacity,
            venue=venue,
            online_link=link,
            description="Free of charge; questions welcome.",
        )
        from django.db import transaction

        from insuredesk.customers.models import CustomerProfile

        attendees = list(
            CustomerProfile.objects.filter(user__username__in=["alice", "mallory"]).order_by(
                "user__username"
            )
        )
        with transaction.atomic():
            attendees.append(
                prospect(
                    name="Pat Prospect", email="pat.prospect@example.com", language="en", now=now
                )
            )
        for n, attendee in enumerate(attendees):
            services.register_for_lecture(
                lecture=lecture,
                attendee=attendee,
                actor=attendee.user,
                now=now + dt.timedelta(minutes=n),
                wants_follow_up=n == 0,
            )
        made += 1
    if made:
        stdout.write(f"    {made} lectures published with registrations (one full, one waiting)")
