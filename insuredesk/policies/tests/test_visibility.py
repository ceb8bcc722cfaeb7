"""A customer sees only their own policies; another customer's is a 404, never a 403."""

from insuredesk.tests.factories import make_policy


def test_alice_lists_only_her_policies(client, alice, mallory, auth_headers):
    mine = make_policy(alice)
    make_policy(mallory)
    body = client.get("/api/v1/policies", headers=auth_headers(alice.user)).json()
    assert body["count"] == 1
    assert [p["number"] for p in body["items"]] == [mine.number]


def test_mallory_gets_404_for_alices_policy_in_the_api_and_the_portal(
    client, alice, mallory, auth_headers
):
    policy = make_policy(alice)
    response = client.get(f"/api/v1/policies/{policy.number}", headers=auth_headers(mallory.user))
    assert response.status_code == 404
    client.force_login(mallory.user)
    assert client.get(f"/portal/policies/{policy.number}/").status_code == 404


def test_staff_see_every_policy(client, alice, mallory, bob, auth_headers):
    make_policy(alice)
    make_policy(mallory)
    assert client.get("/api/v1/policies", headers=auth_headers(bob)).json()["count"] == 2


def test_policy_list_query_count_does_not_grow_with_policies(
    client, alice, auth_headers, django_assert_max_num_queries
):
    for _ in range(6):
        make_policy(alice)
    headers = auth_headers(alice.user)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/policies?limit=50", headers=headers)
    assert response.json()["count"] == 6


def test_policy_detail_lists_clauses_with_the_exemption_flag(client, alice, auth_headers):
    policy = make_policy(alice)
    body = client.get(f"/api/v1/policies/{policy.number}", headers=auth_headers(alice.user)).json()
    exemptions = [c for c in body["clauses"] if c["is_exemption"]]
    assert [c["title"] for c in exemptions] == ["Wear and tear"]
    assert exemptions[0]["legal_consequence"]


def test_portal_policy_page_marks_and_explains_exemption_clauses_il_17(client, alice):
    policy = make_policy(alice)
    client.force_login(alice.user)
    page = client.get(f"/portal/policies/{policy.number}/").content.decode()
    assert 'class="clause exemption"' in page
    assert "Exemption clause" in page
    assert "Damage that builds up slowly over time is not covered." in page


def test_console_is_closed_to_customers_and_portal_to_staff(client, alice, bob):
    client.force_login(alice.user)
    assert client.get("/console/").status_code == 403
    client.force_login(bob)
    assert client.get("/portal/").status_code == 403


def test_console_customer_search_finds_by_policy_number(client, alice, bob):
    policy = make_policy(alice)
    client.force_login(bob)
    page = client.get("/console/", {"q": policy.number}).content.decode()
    assert alice.full_name in page


def test_portal_policy_list_query_count_does_not_grow_with_policies(
    client, alice, django_assert_max_num_queries
):
    for _ in range(6):
        make_policy(alice)  # each new, so each card also shows its cooling-off deadline
    client.force_login(alice.user)
    with django_assert_max_num_queries(8):
        page = client.get("/portal/").content.decode()
    assert page.count("full refund until") == 6
