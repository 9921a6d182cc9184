"""Personal access tokens: shown once, stored as a digest, revoked by their owner only."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import PersonalAccessTokenFactory
from tests.tpm.querycount import assert_same_count, queries_for_get
from tpm.models import PersonalAccessToken

TOKENS = "/accounts/tokens/"


def test_new_token_secret_is_shown_once_and_only_its_digest_is_stored(world):
    # given the member on the tokens page
    client = client_for(world.member)
    # when they create a token that expires in 30 days
    response = client.post(TOKENS, {"name": "nightly export", "expires_in_days": "30"})
    # then the secret is on that response, with the curl hint, and not cacheable
    assert response.status_code == 201
    secret = response.context["secret"]
    assert secret.startswith("lp_")
    assert f'curl -H "Authorization: Bearer {secret}"' in response.text
    assert "no-store" in response["Cache-Control"]
    # and only a digest of it is stored
    token = PersonalAccessToken.objects.get(user=world.member)
    assert token.key_digest == PersonalAccessToken.digest(secret)
    assert secret not in {token.key_prefix, token.key_digest, token.name}
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    # and the page never shows it again
    assert secret not in client.get(TOKENS).text


def test_token_name_is_required(world):
    response = client_for(world.member).post(TOKENS, {"name": "", "expires_in_days": ""})
    assert response.status_code == 422
    assert response.context["form"].errors["name"]
    assert not PersonalAccessToken.objects.filter(user=world.member).exists()


def test_tokens_page_lists_only_my_tokens_with_their_state(world):
    # given the manager's token and an expired and a revoked one, plus someone else's
    PersonalAccessTokenFactory(
        user=world.manager, name="old", expires_at=timezone.now() - timedelta(days=1)
    )
    PersonalAccessTokenFactory(user=world.manager, name="gone", revoked_at=timezone.now())
    PersonalAccessTokenFactory(user=world.member, name="not-mine")
    # when the manager opens the page
    response = client_for(world.manager).get(TOKENS)
    # then they see their three, each with its state
    names = [token.name for token in response.context["tokens"]]
    assert sorted(names) == ["gone", "old", "script"]
    text = response.text
    assert ">revoked<" in text and ">expired<" in text and ">active<" in text
    assert "not-mine" not in text


def test_revoke_my_token(world):
    # when the manager revokes their token
    response = client_for(world.manager).post(
        reverse("token-revoke", args=[world.manager_token.pk])
    )
    # then it is revoked
    assert response.url == reverse("tokens")
    world.manager_token.refresh_from_db()
    assert world.manager_token.revoked_at is not None


def test_revoke_with_htmx_returns_the_row(world):
    response = client_for(world.manager).post(
        reverse("token-revoke", args=[world.manager_token.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.strip().startswith(f'<tr id="token-{world.manager_token.pk}"')
    assert ">revoked<" in response.text


def test_revoking_someone_elses_token_is_404_and_changes_nothing(world):
    # when the admin tries to revoke the manager's token
    response = client_for(world.admin).post(reverse("token-revoke", args=[world.manager_token.pk]))
    # then there is no such token for them, and it stays active
    assert response.status_code == 404
    world.manager_token.refresh_from_db()
    assert world.manager_token.revoked_at is None


def test_tokens_page_query_count_does_not_grow(world, django_assert_max_num_queries):
    # given a person with 3 tokens, and another with 30
    client_few, client_many = client_for(world.member), client_for(world.viewer)
    PersonalAccessTokenFactory.create_batch(3, user=world.member)
    PersonalAccessTokenFactory.create_batch(30, user=world.viewer)
    # when each opens the tokens page
    few = queries_for_get(client_few, TOKENS)
    with django_assert_max_num_queries(6):
        many = queries_for_get(client_many, TOKENS)
    # then both cost the same number of queries
    assert_same_count(few, many)
