"""Two-factor sign-in pages: every signed-in person has them; anonymous people are sent to sign in.
(The sign-in and sign-out rules are in rules_foundation.py.)"""

from .matrix import SIGN_IN, Rule, no_kwargs, signed_in


def _verify(role: str, relation: str) -> int:
    # Without an authenticator set up, the security-code step sends people to set one up.
    return SIGN_IN


RULES = {
    "accounts:verify": Rule(no_kwargs, _verify),
    "accounts:two-factor-set-up": Rule(no_kwargs, signed_in),
    "accounts:recovery-codes": Rule(no_kwargs, signed_in),
}
