#!/usr/bin/env bash
# The worked examples of docs/api.md, end to end, against a running demo server.
#
#   make run            # or: manage.py migrate && manage.py demo && manage.py runserver
#   scripts/api_examples.sh
#
# Environment: INSUREDESK_API (default http://127.0.0.1:8000/api/v1), INSUREDESK_PASSWORD
# (default demo) and the logins INSUREDESK_CUSTOMER (alice), INSUREDESK_OTHER_CUSTOMER
# (mallory), INSUREDESK_HANDLER (bob), INSUREDESK_SUPERVISOR (carol),
# INSUREDESK_COMPLAINT_HANDLER (erin), INSUREDESK_AGENT (dave). VERBOSE=1 prints every
# response body. Every run creates new claims, complaints, consultations, risk checks and
# proposals; it needs curl and jq.
set -euo pipefail

API=${INSUREDESK_API:-http://127.0.0.1:8000/api/v1}
PASSWORD=${INSUREDESK_PASSWORD:-demo}
RUN=${RUN_ID:-$(date +%s)-$$} # makes the idempotency keys of this run unique
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# call EXPECTED_STATUS METHOD PATH TOKEN [JSON_BODY] [extra curl arguments...]
# EXPECTED_STATUS may list several: "201|409".
# Prints the response body; stops the script when the status is not the expected one.
call() {
  local expected=$1 method=$2 path=$3 token=$4 body=${5:-}
  shift $(($# < 5 ? $# : 5))
  local args=(-s -o "$WORK/body" -w '%{http_code}' -X "$method" "$API$path" -D "$WORK/headers")
  [[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
  [[ -n $body ]] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  local status
  status=$(curl "${args[@]}" "$@")
  echo ">>> $method $path -> $status" >&2
  if [[ ${VERBOSE:-} == 1 ]]; then
    jq -c . "$WORK/body" 2>/dev/null || echo "($(wc -c <"$WORK/body") bytes, not JSON)"
  fi >&2
  if [[ ! $status =~ ^($expected)$ ]]; then
    echo "expected $expected, got $status:" >&2
    cat "$WORK/body" >&2
    echo >&2
    exit 1
  fi
  cat "$WORK/body"
}

token() {
  call 201 POST /auth/token "" \
    "{\"username\": \"$1\", \"password\": \"$PASSWORD\", \"name\": \"api_examples.sh\"}" |
    jq -r .token
}

echo "== Sign in"
ALICE=$(token "${INSUREDESK_CUSTOMER:-alice}")
MALLORY=$(token "${INSUREDESK_OTHER_CUSTOMER:-mallory}")
BOB=$(token "${INSUREDESK_HANDLER:-bob}")
CAROL=$(token "${INSUREDESK_SUPERVISOR:-carol}")
ERIN=$(token "${INSUREDESK_COMPLAINT_HANDLER:-erin}")
DAVE=$(token "${INSUREDESK_AGENT:-dave}")
call 200 GET /me "$ALICE" | jq -c '{username, roles, customer: .customer.number}'

echo "== A customer reports a claim (with an Idempotency-Key)"
# The home policy of the customer, and a day two days ago.
HOME_POLICY=$(call 200 GET "/policies?status=in_force" "$ALICE" |
  jq -r '[.items[] | select(.product | test("Home"))][0].number')
# One claim per loss: pick two days on which the policy has no claim yet.
days_ago() { date -d "$1 days ago" +%F 2>/dev/null || date -v-"$1"d +%F; }
TAKEN=$(call 200 GET "/claims?limit=200" "$ALICE" | jq -r --arg p "$HOME_POLICY" \
  '[.[] | select(.policy == $p) | .event_date] | join(" ")')
DAYS=2
while [[ " $TAKEN " == *" $(days_ago $DAYS) "* || " $TAKEN " == *" $(days_ago $((DAYS + 1))) "* ]]; do
  DAYS=$((DAYS + 2))
done
EVENT_DATE=$(days_ago "$DAYS")
REPORT=$(jq -nc --arg policy "$HOME_POLICY" --arg date "$EVENT_DATE" '{
  policy: $policy, event_date: $date, event_place: "Home, kitchen", loss_type: "water_damage",
  description: "A pipe under the sink burst overnight; the floor and a cabinet are soaked.",
  amount_claimed: "4800.00"}')
CLAIM=$(call 201 POST /claims "$ALICE" "$REPORT" -H "Idempotency-Key: report-$RUN")
REF=$(jq -r .reference <<<"$CLAIM")
jq -c '{reference, status, coverage, amount_claimed, currency}' <<<"$CLAIM"
# The same key again: the first response, replayed; nothing is reported twice.
call 201 POST /claims "$ALICE" "$REPORT" -H "Idempotency-Key: report-$RUN" | jq -c .reference
grep -i '^idempotent-replayed' "$WORK/headers"
# The same key with another body is refused.
call 422 POST /claims "$ALICE" "$(jq -c '.amount_claimed = "1.00"' <<<"$REPORT")" \
  -H "Idempotency-Key: report-$RUN" | jq -c .error.code

echo "== What the insurer owes, by when"
call 200 GET "/claims/$REF" "$ALICE" |
  jq -c '{status, outstanding: [.outstanding_documents[].code], clocks}'

echo "== Upload a document (multipart)"
printf '%%PDF-1.4\n%% claim form of %s\n%%%%EOF\n' "$REF" >"$WORK/claim_form.pdf"
call 201 POST "/claims/$REF/documents" "$ALICE" "" \
  -F code=claim_form -F "file=@$WORK/claim_form.pdf;type=application/pdf" |
  jq -c '{code, name, original_name, size, sha256}'

echo "== Another customer's claim is a 404"
call 404 GET "/claims/$REF" "$MALLORY" | jq -c .

echo "== The handler asks for what is missing"
call 201 POST "/claims/$REF/request-documents" "$BOB" \
  '{"note": "Please send the plumber'\''s invoice and photos of the damage."}' | jq -c '[.[].code]'
# The customer sends everything still outstanding.
for code in $(call 200 GET "/claims/$REF" "$ALICE" | jq -r '.outstanding_documents[].code'); do
  printf '%%PDF-1.4\n%% %s\n%%%%EOF\n' "$code" >"$WORK/$code.pdf"
  call 201 POST "/claims/$REF/documents" "$ALICE" "" \
    -F "code=$code" -F "file=@$WORK/$code.pdf;type=application/pdf" >/dev/null
done
call 200 GET "/claims/$REF" "$ALICE" |
  jq -c '{status, documents_complete_at, outstanding: .outstanding_documents, clocks}'

echo "== Assess, offer; the customer accepts; pay"
call 422 POST "/claims/$REF/offers" "$BOB" '{"amount": "-5"}' | jq -c .
call 201 POST "/claims/$REF/assessment" "$BOB" '{"items": [
    {"description": "Replace the kitchen cabinet", "amount": "3100.00"},
    {"description": "Dry and repair the floor", "amount": "1200.00"}],
  "note": "Plumber invoice and photos checked."}' | jq -c .
OFFER=$(call 201 POST "/claims/$REF/offers" "$BOB" '{"note": "As assessed."}')
jq -c . <<<"$OFFER"
NUMBER=$(jq -r .number <<<"$OFFER")
call 201 POST "/claims/$REF/offers/$NUMBER/accept" "$ALICE" | jq -c .
# Accepting twice: the claim has moved on, 409 with the statuses.
call 409 POST "/claims/$REF/offers/$NUMBER/accept" "$ALICE" | jq -c .
AMOUNT=$(call 200 GET "/claims/$REF" "$BOB" | jq -r '.offers[-1].amount')
ORDER=$(call 201 POST "/claims/$REF/payments" "$BOB" "{\"amount\": \"$AMOUNT\"}" \
  -H "Idempotency-Key: pay-$RUN")
jq -c . <<<"$ORDER"
ORDER_ID=$(jq -r .id <<<"$ORDER")
APPROVER=$BOB
[[ $(jq -r .needs_supervisor <<<"$ORDER") == true ]] && APPROVER=$CAROL
call 200 POST "/claims/$REF/payments/$ORDER_ID/approve" "$APPROVER" | jq -c .
call 200 GET "/claims/$REF" "$ALICE" | jq -c '{status, clocks}'
# Out of order: a paid claim cannot be withdrawn (409 with from_status and to_status).
call 409 POST "/claims/$REF/withdraw" "$ALICE" '{"reason": "Changed my mind."}' | jq -c .
call 200 POST "/claims/$REF/close" "$BOB" '{"reason": "Paid in full."}' | jq -c '{reference, status}'

echo "== A refusal citing clauses, and the customer contests it"
REPORT2=$(jq -c --arg date "$(days_ago $((DAYS + 1)))" '.event_date = $date
  | .event_place = "Home, garden wall" | .loss_type = "storm"
  | .description = "The garden wall has been cracking for years and part of it fell."' \
  <<<"$REPORT")
REF2=$(call 201 POST /claims "$ALICE" "$REPORT2" -H "Idempotency-Key: report2-$RUN" |
  jq -r .reference)
call 201 POST "/claims/$REF2/refuse" "$BOB" '{"ground": "exclusion",
  "reasons": "The wall failed from long-term deterioration, not a sudden event.",
  "clauses": [{"number": "3.1", "how_it_applies": "Gradual cracking over years is wear and tear."}],
  "confirm_warnings": true}' | jq -c .
call 201 POST "/claims/$REF2/disputes" "$ALICE" '{"channel": "internal_review",
  "grounds": "A storm brought the wall down; the cracks were cosmetic."}' | jq -c .

echo "== Letters and the inbox"
call 200 GET "/letters?case=$REF2" "$ALICE" | jq -c '{count, items: [.items[] | {id, kind, title}]}'
LETTER=$(call 200 GET "/letters?case=$REF2" "$ALICE" | jq -r '.items[0].id')
call 200 GET "/letters/$LETTER/pdf" "$ALICE" >/dev/null
cp "$WORK/body" "$WORK/letter.pdf"
head -c 8 "$WORK/letter.pdf"
echo
grep -i '^content-type\|^content-disposition' "$WORK/headers"
call 404 GET "/letters/$LETTER/pdf" "$MALLORY" | jq -c .error.code
INBOX=$(call 200 GET "/inbox?unread=true&limit=3" "$ALICE")
jq -c '{count, items: [.items[] | {id, channel, subject, case, letter, unread}]}' <<<"$INBOX"
# Messages reach the inbox once the worker (`manage.py worker`) has delivered them.
MESSAGE=$(jq -r '.items[0].id // empty' <<<"$INBOX")
if [[ -n $MESSAGE ]]; then
  call 200 POST "/inbox/$MESSAGE/read" "$ALICE" | jq -c '{id, unread, read_at}'
else
  echo "(the inbox is empty: is the worker running?)"
fi

echo "== A complaint, from submission to response and rating"
COMPLAINT=$(call 201 POST /complaints "$ALICE" "$(jq -nc --arg policy "$HOME_POLICY" \
  --arg claim "$REF2" '{description: "My wall claim was refused in two days without anyone looking at the wall.",
  desired_outcome: "Send a surveyor and decide again.", policy_number: $policy,
  related_reference: $claim}')" -H "Idempotency-Key: complaint-$RUN")
CREF=$(jq -r .reference <<<"$COMPLAINT")
jq -c '{reference, status, due_date, due_rule, letters: [.letters[].kind]}' <<<"$COMPLAINT"
CATEGORY=$(call 200 GET /complaint-categories "$ERIN" |
  jq -r '[.[].code | select(test("claim"))][0] // empty')
call 200 POST "/complaints/$CREF/classify" "$ERIN" \
  "{\"category\": \"$CATEGORY\", \"service_stage\": \"claims\"}" | jq -c '{status, category}'
call 409 POST "/complaints/$CREF/rate" "$ALICE" '{"score": 4}' | jq -c .
call 200 POST "/complaints/$CREF/respond" "$ERIN" '{"outcome": "partly_upheld",
  "findings": "The refusal was decided without a survey.",
  "basis": "Our claims procedure asks for a survey before refusing building claims.",
  "redress": "A surveyor will visit and the claim will be decided again.",
  "reasons": "Part of the wall was cracked before the storm; the rest needs a survey.",
  "redress_amount": "200.00"}' | jq -c '{status, outcome, responded_in_time, letters: [.letters[].kind]}'
# The root cause must be on record before the complaint is resolved.
call 422 POST "/complaints/$CREF/root-cause" "$ERIN" '{"category": "bad luck"}' | jq -c .
call 200 POST "/complaints/$CREF/root-cause" "$ERIN" '{"category": "process_error",
  "service_stage": "claims", "team": "Home claims",
  "note": "Refused without the survey the procedure asks for."}' | jq -c '{root_cause}'
call 200 POST "/complaints/$CREF/resolve" "$ERIN" '{"note": "Survey booked."}' | jq -c '{status}'
call 200 POST "/complaints/$CREF/rate" "$ALICE" '{"score": 4, "comment": "Quick and fair."}' |
  jq -c '{status, rating}'

echo "== Improvement plans"
PLAN=$(call 201 POST /improvement-plans "$CAROL" "$(jq -nc --arg c "$CREF" '{
  title: "Survey before refusing building claims",
  deficiency: "Building claims were refused without a survey.",
  complaints: [$c], cause_categories: ["process_error"], products: ["harbour-home"],
  verification_date: "2027-03-31"}')")
jq -c '{id, status, owner, verification_date, measures}' <<<"$PLAN"
PLAN_ID=$(jq -r .id <<<"$PLAN")
call 200 GET "/improvement-plans/$PLAN_ID/before-after" "$CAROL" | jq -c .
# Measures (POST .../measures, POST .../measures/{id}) are left out: while a plan has a
# measure, every answer that shows the plan is a 500 (MeasureOut.id, see docs/api.md).

echo "== Consultations: anonymous, then as a customer; knowledge base; lectures"
GUEST=$(call 201 POST /consultations "" '{"question": "Can I cancel a policy after buying it?",
  "name": "Wei", "email": "wei@example.com"}')
jq -c "{reference, status, guest_key, answer: [.messages[] | select(.kind == \"answer\") | {body, confidence, sources: [.sources[].id]}]}" <<<"$GUEST"
GREF=$(jq -r .reference <<<"$GUEST")
GKEY=$(jq -r .guest_key <<<"$GUEST")
call 200 GET "/consultations/$GREF?key=$GKEY" "" | jq -c '{reference, status}'
ASKED=$(call 201 POST /consultations "$ALICE" \
  "{\"question\": \"Does my home policy cover a burst pipe?\", \"policy\": \"$HOME_POLICY\"}")
jq -c . <<<"$ASKED"
QREF=$(jq -r .reference <<<"$ASKED")
ANSWER=$(jq -r '[.messages[] | select(.kind == "answer")][-1].id // empty' <<<"$ASKED")
[[ -n $ANSWER ]] && call 200 POST "/consultations/$QREF/messages/$ANSWER/rate" "$ALICE" \
  '{"rating": 5}' | jq -c '{id, rating}'
call 200 POST "/consultations/$QREF/ask-person" "$ALICE" | jq -c '{status}'
call 201 POST "/consultations/$QREF/answer" "$DAVE" \
  '{"body": "Yes: sudden water escape from pipes is covered, subject to the excess."}' |
  jq -c '{status}'
call 200 POST /kb/search "" '{"query": "cooling-off period cancel", "limit": 2}' | jq -c .
LECTURE=$(call 200 GET /lectures "" | jq -r '[.items[] | select(.seats_left > 0)][0].id')
# Register, then cancel; 409 conflict when already registered (the demo registers Alice).
REGISTRATION=$(call "201|409" POST "/lectures/$LECTURE/register" "$ALICE" '{"wants_follow_up": true}')
jq -c . <<<"$REGISTRATION"
REGISTRATION_ID=$(jq -r '.id // empty' <<<"$REGISTRATION")
if [[ -n $REGISTRATION_ID ]]; then
  call 200 POST "/lectures/registrations/$REGISTRATION_ID/cancel" "$ALICE" | jq -c .
fi

echo "== Risk planning: a risk check, its plan, a new budget; a written proposal"
call 200 GET "/planning/questions?language=en" "" | jq -c '{version, questions: (.questions | length)}'
# Alice's family, home and car (the demo's answers), with an Idempotency-Key: a repeat replays.
RISK_ANSWERS='{"age": 38, "dependants": 2, "support_years": 15, "annual_income": "240000",
  "debts": "1200000", "life_cover": "1000000", "ci_cover": "0", "emergency_savings": "3_6",
  "bearable_loss": "50000", "annual_budget": "6000", "smoker": false, "exercise": "weekly",
  "health_check": "1_3y", "occupation": "office", "home_status": "own",
  "rebuild_value": "3000000", "contents_value": "200000", "construction": "reinforced_concrete",
  "heritage": false, "flood_exposure": "medium", "smoke_alarms": false, "security": "secure",
  "home_cover": "3200000", "has_vehicle": true, "vehicle_value": "250000",
  "annual_distance": "10_20k", "claim_free_years": 3, "accidents_3y": 0,
  "motor_cover": "comprehensive", "runs_business": false}'
CHECK=$(call 201 POST /planning/assessments "$ALICE" "{\"answers\": $RISK_ANSWERS}" \
  -H "Idempotency-Key: risk-check-$RUN")
jq -c '{id, premium_within_budget, budget_left, proposal_required,
  risks: [.risks[] | {code, likelihood, severity, score, gap, uncovered, treatment}],
  recommendations: [.recommendations[] | {product, sum_insured, premium, fit}]}' <<<"$CHECK"
CHECK_ID=$(jq -r .id <<<"$CHECK")
call 201 POST /planning/assessments "$ALICE" "{\"answers\": $RISK_ANSWERS}" \
  -H "Idempotency-Key: risk-check-$RUN" | jq -c '{id}'
call 404 GET "/planning/assessments/$CHECK_ID" "$MALLORY" | jq -c .
call 200 POST "/planning/assessments/$CHECK_ID/budget" "$ALICE" '{"annual_budget": "10000"}' |
  jq -c '{premium_within_budget, recommendations: [.recommendations[] | {product, fit}]}'
# Her plan needs no written proposal (SVC-21): asking is refused, naming the rule.
call 422 POST "/planning/assessments/$CHECK_ID/proposal" "$ALICE" '{}' | jq -c .error
# The same family in a villa worth CNY 12,000,000 insured for half: a proposal is owed.
VILLA_ANSWERS=$(jq -c '. + {"rebuild_value": "10500000", "contents_value": "1500000",
  "home_cover": "6000000", "annual_budget": "20000"}' <<<"$RISK_ANSWERS")
VILLA=$(call 201 POST /planning/assessments "$ALICE" "{\"answers\": $VILLA_ANSWERS}")
jq -c '{proposal_required, proposal_reasons}' <<<"$VILLA"
PROPOSAL=$(call 201 POST "/planning/assessments/$(jq -r .id <<<"$VILLA")/proposal" "$ALICE" \
  '{"note": "What would a full rebuild cost?"}' | jq -r .reference)
call 409 POST "/planning/proposals/$PROPOSAL/decline" "$ALICE" '{}' | jq -c .error
call 200 POST "/planning/proposals/$PROPOSAL/draft" "$DAVE" '{
  "findings": "Insured for half its value: half of every loss would be yours.",
  "prevention_scheme": "Fit leak sensors.",
  "resolution_scheme": "Report a loss the same day; a surveyor visits at our cost.",
  "market_factors": "Rates are reviewed yearly; sums above CNY 10 million are reinsured.",
  "options": [{"label": "Full value", "product": "harbour-home", "sum_insured": "12000000",
  "term_years": 1}, {"label": "The building alone", "product": "harbour-home",
  "sum_insured": "10500000", "term_years": 1}]}' |
  jq -c '{status, options: [.options[] | {label: .label, annual_premium, within_budget}]}'
call 403 POST "/planning/proposals/$PROPOSAL/approve" "$DAVE" | jq -c .error
ISSUED=$(call 200 POST "/planning/proposals/$PROPOSAL/approve" "$CAROL")
jq -c '{status, valid_until, letter}' <<<"$ISSUED"
OPTION=$(call 200 GET "/planning/proposals/$PROPOSAL" "$ALICE" | jq -r '.options[1].id')
call 200 POST "/planning/proposals/$PROPOSAL/accept" "$ALICE" "{\"option\": \"$OPTION\"}" |
  jq -c '{status: .proposal.status, application, apply_url}'

echo "== A statutory deadline"
call 200 POST /rules/deadline "" '{"jurisdiction": "CN", "rule": "CN-19", "start": "2026-03-02",
  "pauses": [{"from": "2026-03-07", "to": "2026-03-14"}]}' | jq -c .

echo "All examples ran."
