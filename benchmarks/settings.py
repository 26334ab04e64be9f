"""Settings of the benchmark server: production settings plus the floor URLs.

``benchmarks.run`` sets the environment production needs (secret, hosts, no TLS redirect) and
points DATABASE_URL at the benchmark database before it starts gunicorn with these settings.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
