"""The embedded default: SQLite, demo data, debug pages. Never for real data."""

from config.env import env_str

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "local-only-not-secret-0b7f3c2e9a")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
