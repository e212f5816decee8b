"""Single-use, expiring links (Django's token generator: a token hashes the state its use
changes, and its timestamp, signed with the secret key; it expires after
settings.PASSWORD_RESET_TIMEOUT)."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class AccountActivationTokenGenerator(PasswordResetTokenGenerator):
    """Confirms an account's email address: void once the account is active."""

    key_salt = "geofinder.merchants.tokens.AccountActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.is_active}{user.email}{timestamp}"


class ClaimTokenGenerator(PasswordResetTokenGenerator):
    """Proves a claim by a link sent to an address on record for the place: void once the
    claim is decided (its status changes)."""

    key_salt = "geofinder.merchants.tokens.ClaimTokenGenerator"

    def _make_hash_value(self, claim, timestamp):
        return f"{claim.pk}{claim.status}{claim.user_id}{claim.place_id}{timestamp}"


account_activation_token = AccountActivationTokenGenerator()
claim_token = ClaimTokenGenerator()
