"""FairPanel configuration, read from the environment.

Pick a class with ``FAIRPANEL_CONFIG`` (development, production, test); the default is
development. Every setting that differs between machines comes from an environment
variable so that the same code runs on a laptop, in CI and in production.
"""
from __future__ import annotations

import os
from datetime import timedelta

from panel.paths import instance_dir

# instance/ in the checkout; installed, FAIRPANEL_INSTANCE or <prefix>/var/panel-instance.
INSTANCE_DIR = instance_dir()


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEFAULT_BASE_URL = "http://127.0.0.1:5000"
NEW_SECRET = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


def database_url(url: str | None) -> str:
    """Normalise a DATABASE_URL: default SQLite file, psycopg 3 for PostgreSQL."""
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'fairpanel.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    # No ping before every checkout (a round trip per request): connections are recycled
    # after POOL_RECYCLE seconds, and one found dead is invalidated with the rest of the
    # pool (SQLAlchemy's optimistic disconnect handling), so the request that meets it gets
    # the "try again" page and the next request gets a fresh connection.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": int(os.environ.get("POOL_RECYCLE", "1800"))}

    # Sessions: HttpOnly, SameSite=Lax, renewed at sign-in, invalidated server-side
    # on sign-out through the user's session version.
    SESSION_COOKIE_NAME = "fairpanel_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "12")))
    # However busy, a session ends this long after signing in (OWASP ASVS 3.3.2): the
    # page warns 2 minutes before, and anything saved is kept.
    SESSION_ABSOLUTE_LIFETIME = timedelta(
        hours=float(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")))
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # WTForms' own messages ("This field is required.") in the page's language (issue 21).
    WTF_I18N_ENABLED = True

    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024
    # How much one round may hold (issue 22; reasons in docs/bundles.md, "How big a round
    # may be"). An import that would take a round past one of these is refused at its
    # preview, before anything is written, saying what to fix.
    ROUND_MAX_APPLICATIONS = int(os.environ.get("ROUND_MAX_APPLICATIONS", "20000"))
    ROUND_MAX_PANEL = int(os.environ.get("ROUND_MAX_PANEL", "2000"))
    ROUND_MAX_SHEETS = int(os.environ.get("ROUND_MAX_SHEETS", "150000"))
    ROUND_MAX_CONFLICTS = int(os.environ.get("ROUND_MAX_CONFLICTS", "100000"))

    # Mail. Without MAIL_SERVER, messages are printed and kept in instance/outbox/.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "FairPanel <no-reply@fairpanel.localhost>")
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", str(INSTANCE_DIR / "outbox"))

    # Who runs this FairPanel, for the privacy notice and the accessibility statement
    # (/privacy, /accessibility, linked from every page's footer).
    ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "The funder running this panel")
    PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "")  # an e-mail address
    # How long panellists' personal data is kept, in words for the notice.
    PRIVACY_RETENTION = os.environ.get(
        "PRIVACY_RETENTION",
        "We keep panel members' names and e-mail addresses for as long as the funding "
        "decisions they took part in may be checked, and erase them when you ask once "
        "your rounds are decided.")
    ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")  # an e-mail address

    # Public address used in e-mailed links (sign-in links, invitations).
    BASE_URL = os.environ.get("BASE_URL", DEFAULT_BASE_URL)

    # "Who to chase" on a round's dashboard lists panellists only once this share (per
    # cent) of the scoring window, from opening to the deadline, has passed.
    CHASE_AFTER_PERCENT = int(os.environ.get("CHASE_AFTER_PERCENT", "50"))

    SIGN_IN_LINK_MINUTES = int(os.environ.get("SIGN_IN_LINK_MINUTES", "15"))
    INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))

    # How many reverse proxies (nginx, Caddy…) stand in front of the app and add
    # X-Forwarded-For and X-Forwarded-Proto. 0 trusts no such header (a client could forge
    # it); behind one proxy set 1, or every sign-in counts against the proxy's address.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # Rate limits (Flask-Limiter). memory:// is per process: use redis:// with several workers.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # A store that does not answer within a second counts as down: each worker then counts
    # in its own memory, with the same limits, until the store is back (Flask-Limiter's
    # in-memory fallback), instead of failing every sign-in.
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}  # noqa: RUF012
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute;50 per hour")
    SIGN_IN_PER_EMAIL_LIMIT = os.environ.get("SIGN_IN_PER_EMAIL_LIMIT", "5 per minute;20 per hour")

    # The round's figures the meeting's pages share, computed once per change of the round
    # (Flask-Caching on Redis). With REDIS_URL, every worker on every machine shares them
    # and one computes at a time; each process also keeps the newest FIGURES_CACHE_ROUNDS
    # in memory (without Redis, only those).
    REDIS_URL = os.environ.get("REDIS_URL", "")
    CACHE_TYPE = "RedisCache" if REDIS_URL else "SimpleCache"  # (not used without Redis)
    CACHE_REDIS_URL = REDIS_URL
    CACHE_THRESHOLD = int(os.environ.get("FIGURES_CACHE_ROUNDS", "8"))
    CACHE_DEFAULT_TIMEOUT = 3600  # seconds; a new version of the round is a new key anyway
    CACHE_KEY_PREFIX = "fairpanel:"

    # Background jobs (panel/jobs/queue.py, Dramatiq). With a Redis address, web processes
    # only enqueue and `flask worker` processes run the jobs, on any number of machines;
    # without one, each app process runs its own jobs in background threads.
    JOBS_REDIS_URL = os.environ.get("JOBS_REDIS_URL", REDIS_URL)
    JOBS_NAMESPACE = "fairpanel-jobs"
    # A worker silent this long is taken for dead and its unfinished jobs go to another.
    JOBS_REDIS_HEARTBEAT_MS = int(os.environ.get("JOBS_REDIS_HEARTBEAT_MS", "60000"))
    # How often (per million Redis commands) a worker looks for dead workers' jobs.
    JOBS_REDIS_MAINTENANCE_CHANCE = int(os.environ.get("JOBS_REDIS_MAINTENANCE_CHANCE", "1000"))
    # A failed job is retried after 15 s, then twice as long each time, up to an hour.
    JOBS_MIN_BACKOFF_MS = 15_000
    JOBS_MAX_BACKOFF_MS = 3_600_000
    JOBS_TIME_LIMIT_MS = 3_600_000
    JOBS_IN_PROCESS_THREADS = 2
    # How long a worker's threads wait for a job before looking again: also how long
    # stopping a worker can take.
    JOBS_WORKER_TIMEOUT_MS = 250
    # A round with at least this many applications has its report downloads made by a
    # background job (the page offers "Prepare…", then the job's page the file).
    EXPORT_IN_BACKGROUND_FROM = int(os.environ.get("EXPORT_IN_BACKGROUND_FROM", "2000"))

    # Argon2id parameters for staff passwords (panel/accounts/auth.py): "default" is
    # argon2-cffi's (3 passes over 64 MiB); only the tests use "cheapest".
    PASSWORD_HASHING = "default"

    # Staff (admin, officer, auditor) must set up an authenticator app before using anything.
    TOTP_REQUIRED = _bool("TOTP_REQUIRED", False)
    # The key their apps' secrets are sealed with (panel/accounts/secret_box.py). Unset, it
    # is derived from SECRET_KEY, and changing SECRET_KEY would lock staff out of the second
    # step; set, SECRET_KEY can change freely.
    TOTP_ENCRYPTION_KEY = os.environ.get("TOTP_ENCRYPTION_KEY", "")

    # Production refuses to start with settings that are only safe on a laptop
    # (startup_problems below).
    PRODUCTION = False

    DEMO_ALLOWED = True
    DEMO_STAFF_PASSWORD = os.environ.get("DEMO_STAFF_PASSWORD", "fairpanel-demo-2026")


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-secret-change-me")
    # The development server speaks plain http on 127.0.0.1.
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SESSION_COOKIE_SECURE = False
    RATELIMIT_ENABLED = False
    MAIL_SERVER = ""
    MAIL_SUPPRESS_SEND = False  # Flask-Mail would otherwise drop mail when TESTING
    BASE_URL = "http://127.0.0.1"
    TOTP_REQUIRED = False
    PASSWORD_HASHING = "cheapest"  # a staff sign-in in a test costs microseconds, not 0.3 s
    JOBS_REDIS_URL = ""  # jobs in process unless a test gives its own Redis
    JOBS_MIN_BACKOFF_MS = 20  # retries within the test, not 15 s later
    JOBS_MAX_BACKOFF_MS = 200
    JOBS_WORKER_TIMEOUT_MS = 20  # a test's worker stops at its end in 20 ms, not 0.25-0.5 s


class ProductionConfig(Config):
    PRODUCTION = True
    DEMO_ALLOWED = _bool("DEMO_ALLOWED", False)
    TOTP_REQUIRED = _bool("TOTP_REQUIRED", True)
    PREFERRED_URL_SCHEME = "https"


def startup_problems(settings, workers: int = 1) -> list[str]:
    """What in ``settings`` (a config mapping) must be fixed before FairPanel may start,
    each saying which setting and what to set; empty when none. ``workers`` is how many
    gunicorn worker processes will serve it (panel/gunicorn_conf.py tells)."""
    problems = []
    if not settings.get("SECRET_KEY"):
        problems.append(f"SECRET_KEY is not set. Set it to a long random string: {NEW_SECRET}")
    if not settings.get("PRODUCTION"):
        return problems
    if settings.get("BASE_URL", DEFAULT_BASE_URL).rstrip("/") == DEFAULT_BASE_URL:
        problems.append(f"BASE_URL is left at its default, {DEFAULT_BASE_URL}, so e-mailed "
                        "sign-in links would point there. Set BASE_URL to the public address "
                        "people open, e.g. https://panel.example.org")
    storage = settings.get("RATELIMIT_STORAGE_URI", "memory://")
    if workers > 1 and storage.startswith("memory://"):
        problems.append(f"RATELIMIT_STORAGE_URI is {storage} but gunicorn runs {workers} "
                        "workers, so each would count sign-in attempts on its own. Set "
                        "RATELIMIT_STORAGE_URI=redis://HOST:6379/0 (one Redis shared by all "
                        "workers), or run one worker")
    return problems


def settings_of(name: str) -> dict:
    """The settings of the class ``name`` (development, production, test) as a mapping."""
    chosen = CONFIGS[name]
    return {key: getattr(chosen, key) for key in dir(chosen) if key.isupper()}


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}
