"""Settings read once from the environment, so tests can build their own."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from engine.history import anchor_keys

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class MailSettings:
    """The SMTP server e-mail goes through; without a host nothing is queued or sent."""

    host: str | None = None
    port: int | None = None  # default: 465 with tls=ssl, else 587 with starttls, else 25
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    tls: str = "starttls"  # starttls, ssl (TLS from the first byte), none (loopback relays only)
    sender: str = "mtcflow <noreply@localhost>"
    ca_file: str | None = None  # certificates to trust besides the system's (an authority's own CA)
    base_url: str = "http://localhost:5000"  # links in mails point here (the address users open mtcflow at)
    digest_hour: int = 8  # daily digests go out at this hour, China time
    timeout: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @property
    def effective_port(self) -> int:
        return self.port or {"ssl": 465, "starttls": 587}.get(self.tls, 25)

    @classmethod
    def from_env(cls, env) -> MailSettings:
        values: dict = {}
        for name, key, cast in (("MTCFLOW_SMTP_HOST", "host", str), ("MTCFLOW_SMTP_PORT", "port", int),
                                ("MTCFLOW_SMTP_USER", "user", str), ("MTCFLOW_SMTP_PASSWORD", "password", str),
                                ("MTCFLOW_SMTP_TLS", "tls", str.lower), ("MTCFLOW_SMTP_FROM", "sender", str),
                                ("MTCFLOW_SMTP_CA_FILE", "ca_file", str),
                                ("MTCFLOW_BASE_URL", "base_url", str),
                                ("MTCFLOW_MAIL_DIGEST_HOUR", "digest_hour", int)):
            if env.get(name):
                values[key] = cast(env[name])
        if "base_url" in values:
            values["base_url"] = values["base_url"].rstrip("/")
        if values.get("tls", "starttls") not in ("starttls", "ssl", "none"):
            raise ValueError("MTCFLOW_SMTP_TLS must be starttls, ssl or none")
        return cls(**values)


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{Path.cwd() / 'var' / 'mtcflow.db'}"
    processes_dir: Path = ROOT / "processes"
    forms_dir: Path = ROOT / "forms"
    extra_forms_dirs: tuple[Path, ...] = ()
    token_ttl_seconds: int = 8 * 3600
    max_bytes: int = 2 * 1024 * 1024
    script_time_limit: float = 1.0
    script_max_steps: int = 100_000
    secret_key: str | None = None
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    profiles_dir: Path | None = None  # rule profiles; default processes_dir/profiles
    holidays_dir: Path | None = None  # official holiday schedules by year; default profiles_dir/holidays
    embedded_worker: bool = True  # serve/quickstart fire timers in-process
    timer_poll_seconds: float = 30.0  # the worker's fallback wake for timers stored by other processes
    trusted_proxies: int = 0  # reverse proxies in front whose X-Forwarded-For/-Proto/-Host are believed
    secure_cookies: bool = False  # the browser session cookie only over HTTPS (set when served behind TLS)
    login_free_failures: int = 3  # failed logins per account before delays start
    login_delay_seconds: float = 2.0  # the first delay; it doubles with each further failure
    login_delay_max_seconds: float = 900.0
    json_max_depth: int = 32  # nesting of JSON request bodies (deeper ones are refused with a 422)
    oidc_issuer: str | None = None  # single sign-on through this OpenID Connect provider; None: local accounts only
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = field(default=None, repr=False)
    oidc_user_claim: str = "preferred_username"  # the claim an account is matched or provisioned by
    oidc_groups_claim: str = "groups"
    oidc_group_map: Path | None = None  # JSON rule set group -> ["role:scope", ...]; None: grants stay in mtcflow
    anchor_keys: anchor_keys.Keyring = field(default_factory=anchor_keys.Keyring)  # MACs over audit anchors
    mail: MailSettings = field(default_factory=MailSettings)  # e-mail copies of notifications (off by default)
    extra: dict = field(default_factory=dict)

    @property
    def sso_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        env = os.environ
        values: dict = {}
        if "MTCFLOW_DATABASE_URL" in env:
            values["database_url"] = env["MTCFLOW_DATABASE_URL"]
        if "MTCFLOW_PROCESSES_DIR" in env:
            values["processes_dir"] = Path(env["MTCFLOW_PROCESSES_DIR"])
        if "MTCFLOW_FORMS_DIR" in env:
            values["forms_dir"] = Path(env["MTCFLOW_FORMS_DIR"])
        if "MTCFLOW_TOKEN_TTL" in env:
            values["token_ttl_seconds"] = int(env["MTCFLOW_TOKEN_TTL"])
        if "MTCFLOW_SECRET_KEY" in env:
            values["secret_key"] = env["MTCFLOW_SECRET_KEY"]
        def flag(value: str) -> bool:
            return value.lower() not in ("0", "false", "no")

        for name, key, cast in (("MTCFLOW_PROFILES_DIR", "profiles_dir", Path),
                                ("MTCFLOW_HOLIDAYS_DIR", "holidays_dir", Path),
                                ("MTCFLOW_EMBEDDED_WORKER", "embedded_worker", flag),
                                ("MTCFLOW_TIMER_POLL", "timer_poll_seconds", float),
                                ("MTCFLOW_TRUSTED_PROXIES", "trusted_proxies", int),
                                ("MTCFLOW_SECURE_COOKIES", "secure_cookies", flag),
                                ("MTCFLOW_LOGIN_FREE_FAILURES", "login_free_failures", int),
                                ("MTCFLOW_LOGIN_DELAY", "login_delay_seconds", float),
                                ("MTCFLOW_LOGIN_DELAY_MAX", "login_delay_max_seconds", float),
                                ("MTCFLOW_JSON_MAX_DEPTH", "json_max_depth", int),
                                ("MTCFLOW_OIDC_ISSUER", "oidc_issuer", str),
                                ("MTCFLOW_OIDC_CLIENT_ID", "oidc_client_id", str),
                                ("MTCFLOW_OIDC_CLIENT_SECRET", "oidc_client_secret", str),
                                ("MTCFLOW_OIDC_USER_CLAIM", "oidc_user_claim", str),
                                ("MTCFLOW_OIDC_GROUPS_CLAIM", "oidc_groups_claim", str),
                                ("MTCFLOW_OIDC_GROUP_MAP", "oidc_group_map", Path)):
            if name in env:
                values[key] = cast(env[name])
        values["anchor_keys"] = anchor_keys.load(env)
        values["mail"] = MailSettings.from_env(env)
        values.update(overrides)
        return cls(**values)
