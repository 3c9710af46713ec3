"""Production settings for the load benchmark on plain-HTTP loopback (benchmarks/load).

Everything is production's (DEBUG off, SECRET_KEY and ALLOWED_HOSTS from the environment, the same
middleware, templates, sessions and cache) except what HTTPS would carry: there is no TLS on
127.0.0.1, so the HTTPS redirect and HSTS are off, and the session and CSRF cookies are sent without
the Secure flag (and so without the __Host- prefix, which requires it), or no client could sign
in. Never use these settings behind a public address.
"""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
