"""Settings of the benchmark server: production settings plus the floor URLs (``BENCH_FLOOR``).

``benchmarks.run`` sets the environment production needs (secret, hosts, no TLS redirect) and
points DATABASE_URL at the benchmark database before it starts gunicorn with these settings.
"""

from config.settings.production import *  # noqa: F403

BENCH_FLOOR = True
ROOT_URLCONF = "benchmarks.urls"
