"""Login throttling (django-axes): wrong passwords lock the username on that address out,
the login page says so, and even the right password is refused until the cool-off."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_wrong_passwords_lock_out_and_the_right_one_is_refused(client, user, limit):
    for _ in range(limit - 1):
        response = post_login(client, "casey", "wrong")
        assert response.status_code == 200  # the ordinary "please enter a correct..." form
    locked = post_login(client, "casey", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed log-ins" in page and f"After {limit} wrong passwords" in page
    assert 'name="username"' in page  # still the login page, not a bare error

    right = post_login(client, "casey", "pw-casey-123")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("campaigns:campaign_list")).status_code == 302  # to login


def test_the_lock_is_per_username_and_a_success_resets_the_count(client, user, make_user, limit):
    make_user("robin")
    for _ in range(limit):
        post_login(client, "robin", "wrong")
    # Another account from the same address is not locked out by robin's failures.
    assert post_login(client, "casey", "wrong").status_code == 200
    response = post_login(client, "casey", "pw-casey-123")
    assert response.status_code == 302 and "_auth_user_id" in client.session
    client.logout()
    # casey's one failure was cleared by the success: limit - 1 more still do not lock.
    for _ in range(limit - 1):
        assert post_login(client, "casey", "wrong").status_code == 200


def test_the_test_clients_login_still_works_and_http_logins_stay_throttled(client, user, limit):
    assert client.login(username="casey", password="pw-casey-123")  # no request: not throttled
    client.logout()
    for _ in range(limit):
        post_login(client, "casey", "wrong")
    assert post_login(client, "casey", "pw-casey-123").status_code == 429
