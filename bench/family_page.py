"""p95 of rendering a family's page over HTTP, signed in as an Early Help Team coordinator."""

import random
import urllib.request

from django.test import Client

from bench.data import ensure_register, register_coordinator
from bench.harness import Figure, p95, serve_http, time_ms
from earlyhelp.accounts.models import User
from earlyhelp.families.models import Household

NAME = "family_page"
DEFAULTS = {"persons": 200_000, "requests": 300}


def _pass_second_factor(client: Client, user: User) -> None:
    """Mark the session as having passed two-factor sign-in, as the verify page would."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(user=user, name="bench")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def run(sizes: dict[str, int]):
    ensure_register(sizes["persons"])
    coordinator = register_coordinator()
    client = Client()
    client.force_login(coordinator)
    _pass_second_factor(client, coordinator)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    rng = random.Random(5)
    ids = list(Household.objects.values_list("id", flat=True)[:20_000])
    targets = iter([rng.choice(ids) for _ in range(sizes["requests"] + 10)])

    with serve_http() as base_url:

        def fetch() -> None:
            url = f"{base_url}/families/{next(targets)}/"
            request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - loopback only
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback URL built above
                # urlopen follows redirects: a sign-in or verify page must not pass for the family page.
                if response.status != 200 or response.geturl() != url:
                    raise RuntimeError(f"family page answered {response.status} from {response.geturl()}")
                if b"Who lives here" not in response.read():
                    raise RuntimeError("the family page did not show its members")

        samples = time_ms(fetch, sizes["requests"])
    yield Figure(name=NAME, value=p95(samples), unit="ms", target=50)
    yield Figure(name=f"{NAME}_median", value=sorted(samples)[len(samples) // 2], unit="ms", target=None)
