"""Personal access tokens in the history: created and revoked, in each organisation the owner
belongs to (a token acts with their roles in all of them), never with the secret or digest."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tpm import services
from tpm.models import HistoryEntry, PersonalAccessToken

TOKENS = "/accounts/tokens/"


def _token_entries(token: PersonalAccessToken):
    return HistoryEntry.objects.filter(
        target_type__model="personalaccesstoken", target_id=str(token.pk)
    ).order_by("created_at", "id")


def test_creating_a_token_is_recorded_without_its_secret(world):
    # given the member on the tokens page
    client = client_for(world.member)
    # when they create a token that expires in 30 days
    response = client.post(TOKENS, {"name": "nightly export", "expires_in_days": "30"})
    secret = response.context["secret"]
    token = PersonalAccessToken.objects.get(user=world.member)
    # then the organisation's history says who created which token, expiring when
    [entry] = _token_entries(token)
    assert entry.organisation == world.organisation
    assert entry.scope == f"organisation:{world.organisation.pk}"
    assert (entry.actor, entry.action) == (world.member, "created")
    assert entry.changes == {
        "name": [None, "nightly export"],
        "key_prefix": [None, token.key_prefix],
        "expires_at": [None, token.expires_at.isoformat()],
    }
    # and neither the secret nor its digest is anywhere in it
    stored = f"{entry.target_repr} {entry.changes}"
    assert secret not in stored and token.key_digest not in stored
    # and the admins read it on the history page
    page = client_for(world.admin).get("/org/history/").text
    assert "nightly export" in page


def test_a_token_without_expiry_records_name_and_prefix(world):
    token, _secret = services.token_create(user=world.manager, name="ci")
    [entry] = _token_entries(token)
    assert entry.changes == {"name": [None, "ci"], "key_prefix": [None, token.key_prefix]}


def test_revoking_a_token_is_recorded_once(world):
    # given the manager's token
    token, secret = services.token_create(
        user=world.manager, name="ci", expires_at=timezone.now() + timedelta(days=7)
    )
    # when they revoke it on the tokens page, twice
    client = client_for(world.manager)
    client.post(reverse("token-revoke", args=[token.pk]))
    client.post(reverse("token-revoke", args=[token.pk]))
    # then the history has its creation and one revocation, by the manager
    created, revoked = _token_entries(token)
    assert created.action == "created"
    token.refresh_from_db()
    assert (revoked.actor, revoked.action) == (world.manager, "revoked")
    assert revoked.scope == f"organisation:{world.organisation.pk}"
    assert revoked.changes == {"revoked_at": [None, token.revoked_at.isoformat()]}
    assert secret not in f"{revoked.target_repr} {revoked.changes}"


def test_a_token_is_recorded_in_each_organisation_of_its_owner(world):
    # given the member also belongs to the other organisation
    MembershipFactory(organisation=world.other_organisation, user=world.member)
    # when they create a token and revoke it
    token, _secret = services.token_create(user=world.member, name="sync")
    services.token_revoke(token=token, actor=world.member)
    # then both organisations' histories show both events
    scopes = sorted(_token_entries(token).values_list("scope", "action"))
    assert scopes == sorted(
        [
            (f"organisation:{world.organisation.pk}", "created"),
            (f"organisation:{world.organisation.pk}", "revoked"),
            (f"organisation:{world.other_organisation.pk}", "created"),
            (f"organisation:{world.other_organisation.pk}", "revoked"),
        ]
    )


def test_someone_in_no_organisation_gets_a_token_without_history(db):
    # given a person who belongs to no organisation (their token reaches nothing)
    loner = UserFactory()
    # when they create and revoke a token
    token, _secret = services.token_create(user=loner, name="nothing")
    services.token_revoke(token=token)
    # then there is no organisation to record it in
    assert not _token_entries(token).exists()
    assert token.revoked_at is not None
