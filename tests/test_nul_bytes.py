"""A NUL character in a staff page's address is a 400 with a reason, never a 500."""

import pytest
from django.urls import reverse

from tests.factories import make_enrolled_patient, make_team, make_user

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "/admin/followup/patient/?language=%00",
    "/admin/followup/user/?role=%00",
    "/admin/followup/escalation/?status=%00",
    "/admin/followup/inboundmessage/?sender=%00",
    "/admin/followup/patient/?q=a%00b",
    "/patients/?q=%00",
    "/escalations/?finding=%00",
    "/audit/?user=%00",
    "/rows/?working=%00",
    "/?%00=1",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_nul_in_the_query_string_is_refused_with_a_reason(admin_client, address):
    make_enrolled_patient()
    response = admin_client.get(address)
    assert response.status_code == 400
    assert response.content.decode() == "The address holds a NUL character."


def test_the_same_pages_without_the_nul_answer_as_before(admin_client):
    make_enrolled_patient()
    for address in ADDRESSES:
        assert admin_client.get(address.replace("%00", "x")).status_code == 200, address


def test_a_nurse_signed_out_is_refused_the_same_way_before_anything_else(client):
    team = make_team()
    team.members.add(make_user(username="nadia"))
    assert client.get(reverse("dashboard") + "?q=%00").status_code == 400


@pytest.mark.parametrize(
    "query", ["due_at__year=9999", "due_at__year=9999&due_at__month=12&due_at__day=31"]
)
def test_a_drill_down_date_past_what_python_counts_is_a_bad_lookup(admin_client, query):
    make_enrolled_patient()
    response = admin_client.get(f"/admin/followup/checkin/?{query}")
    # The admin's answer to any bad lookup: the list again, flagged in the address.
    assert response.status_code == 302 and response.url.endswith("?e=1")
    assert admin_client.get(response.url).status_code == 200
