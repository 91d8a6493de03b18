"""Configuration from environment variables, with safe defaults for the demo."""
import ipaddress
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent


class ConfigError(RuntimeError):
    """The app cannot start safely with this configuration."""


def _env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def defaults(instance_path: str) -> dict:
    """Every setting with its default; the environment overrides each one."""
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        # Test each pooled connection before use: after a database restart the pool is full of dead ones.
        # hide_parameters: a database error in the log never carries the values (phones, texts).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", os.path.join(instance_path, "uploads")),
        # s3://bucket/prefix puts uploads in an S3-compatible store (s3store.py) shared by every app node.
        "UPLOAD_STORE": os.environ.get("UPLOAD_STORE", ""),
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL", ""),
        "S3_REGION": os.environ.get("S3_REGION", ""),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "cunwu"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        # A moving window: a fixed one lets twice the limit through around the turn of each window.
        "RATELIMIT_STRATEGY": os.environ.get("RATELIMIT_STRATEGY", "moving-window"),
        "WECHAT_APPID": os.environ.get("WECHAT_APPID", ""),
        "WECHAT_SECRET": os.environ.get("WECHAT_SECRET", ""),
        "WECHAT_OPEN_URL": os.environ.get("WECHAT_OPEN_URL", "https://open.weixin.qq.com"),
        "WECHAT_API_URL": os.environ.get("WECHAT_API_URL", "https://api.weixin.qq.com"),
        "SMS_SENDER": os.environ.get("SMS_SENDER", "dev"),
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "TOKEN_MAX_AGE": int(os.environ.get("TOKEN_MAX_AGE", 7 * 24 * 3600)),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 45 * 1024 * 1024)),
        "WTF_CSRF_TIME_LIMIT": None,  # a slow villager must not lose the form
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 24 * 3600,  # every asset URL carries a version
        "TRUSTED_PROXIES": os.environ.get("TRUSTED_PROXIES", ""),
        # How long a write waits for the one ahead of it (SQLite busy timeout, PostgreSQL lock_timeout), then 503.
        "DATABASE_BUSY_TIMEOUT_MS": int(os.environ.get("DATABASE_BUSY_TIMEOUT_MS", 10_000)),
        # Anonymous claims are paid only when this many villagers of a township wait together (docs/SECURITY.md).
        "CLAIM_MIN_CLAIMERS": int(os.environ.get("CLAIM_MIN_CLAIMERS", 3)),
        "COUNTER_FLUSH_SECONDS": float(os.environ.get("COUNTER_FLUSH_SECONDS", 5)),
        # How long nginx may answer a public page for visitors without a session (pagecache.py): 0 turns it off.
        "PUBLIC_CACHE_SECONDS": int(os.environ.get("PUBLIC_CACHE_SECONDS", 5)),
        # Deferred named writes (a finance-read earn) wait this long, so one batch holds many villagers' reads.
        "DEFERRED_WRITE_SECONDS": float(os.environ.get("DEFERRED_WRITE_SECONDS", 600)),
        **_reach(instance_path),
        "API_TITLE": "村务码上监督 API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }


def _reach(instance_path: str) -> dict:
    """Background jobs, WeChat subscription messages and SMS providers (docs/reach.md)."""
    env = os.environ.get
    settings = {
        "JOBS_REDIS_URL": env("JOBS_REDIS_URL", ""),  # empty: one SQLite queue file in instance/
        "JOBS_SQLITE_PATH": env("JOBS_SQLITE_PATH", os.path.join(instance_path, "jobs.sqlite3")),
        # Run tasks in process when queued: on by default under TESTING only (the demo runs a worker).
        "JOBS_IMMEDIATE": _env_bool("JOBS_IMMEDIATE") if os.environ.get("JOBS_IMMEDIATE") else None,
        "JOBS_LEASE_SECONDS": float(env("JOBS_LEASE_SECONDS", 60)),  # a silent worker's jobs go back after this
        "JOBS_TASK_MODULES": env("JOBS_TASK_MODULES", ""),  # more modules with tasks, comma-separated
        # The handlers' webhook, posted by a job (citizen/triage/webhook.py); its URL is masked like a secret.
        "TRIAGE_WEBHOOK_URL": env("TRIAGE_WEBHOOK_URL", ""),
        "TRIAGE_WEBHOOK_TIMEOUT": float(env("TRIAGE_WEBHOOK_TIMEOUT", 3)),
        "WECHAT_JSSDK_URL": env("WECHAT_JSSDK_URL", "https://res.wx.qq.com/open/js/jweixin-1.6.0.js"),
        "WECHAT_MESSAGE_API": env("WECHAT_MESSAGE_API", "bizsend"),  # or "subscribe_send" (mini-program)
        "WECHAT_MINIPROGRAM_STATE": env("WECHAT_MINIPROGRAM_STATE", "formal"),
        "WECHAT_TIMEOUT": float(env("WECHAT_TIMEOUT", 5)),
        "SMS_DAILY_CAP": int(env("SMS_DAILY_CAP", 10)),  # texts per phone per Shanghai day
        "SMS_TIMEOUT": float(env("SMS_TIMEOUT", 5)),
        "SMS_ALIYUN_URL": env("SMS_ALIYUN_URL", "https://dysmsapi.aliyuncs.com"),
        "SMS_TENCENT_URL": env("SMS_TENCENT_URL", "https://sms.tencentcloudapi.com"),
        "SMS_TENCENT_REGION": env("SMS_TENCENT_REGION", "ap-guangzhou"),
    }
    for name in ("SMS_ALIYUN_ACCESS_KEY_ID", "SMS_ALIYUN_ACCESS_KEY_SECRET", "SMS_ALIYUN_SIGN_NAME",
                 "SMS_TENCENT_SECRET_ID", "SMS_TENCENT_SECRET_KEY", "SMS_TENCENT_SDK_APP_ID",
                 "SMS_TENCENT_SIGN_NAME"):
        settings[name] = env(name, "")
    # Template ids and codes per message kind: WECHAT_TEMPLATE_ACCEPTED, SMS_TEMPLATE_LOGIN_CODE, ...
    settings.update({key: value for key, value in os.environ.items()
                     if key.startswith(("WECHAT_TEMPLATE_", "SMS_TEMPLATE_"))})
    return settings


def _database_url(instance_path: str) -> str:
    """DATABASE_URL, defaulting to a SQLite file in instance/; postgres:// means psycopg 3."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{os.path.join(instance_path, 'cunwu.sqlite3')}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def finish(config: dict, debug: bool, instance_path: str) -> None:
    """Fill derived settings and refuse to run an unsafe production configuration."""
    relaxed = debug or config.get("TESTING")
    if not config.get("SECRET_KEY"):
        if not relaxed:
            raise ConfigError("SECRET_KEY 未设置：生产环境必须设置 SECRET_KEY 环境变量后才能启动。")
        config["SECRET_KEY"] = _dev_secret(instance_path)
    secure = os.environ.get("SESSION_COOKIE_SECURE")  # set 0 only for a plain-HTTP intranet install
    config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = (
        _env_bool("SESSION_COOKIE_SECURE") if secure is not None else not relaxed)
    config["SHOW_DEV_OUTBOX"] = bool(relaxed)
    if _env_bool("TRUST_PROXY") and not os.environ.get("TRUSTED_PROXIES"):
        raise ConfigError("TRUST_PROXY 已不再使用（它让任何来访者都能伪造 X-Forwarded-For）："
                          "请改设 TRUSTED_PROXIES=反向代理的地址，例如 TRUSTED_PROXIES=127.0.0.1。")
    config["TRUSTED_PROXIES"] = trusted_networks(config.get("TRUSTED_PROXIES"))
    if config.get("JOBS_IMMEDIATE") is None:
        config["JOBS_IMMEDIATE"] = bool(config.get("TESTING"))


def trusted_networks(value) -> tuple:
    """Parse TRUSTED_PROXIES ("127.0.0.1, 10.0.0.0/8"; a list works too) into address networks."""
    if isinstance(value, tuple) and all(isinstance(v, (ipaddress.IPv4Network, ipaddress.IPv6Network)) for v in value):
        return value
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value or ())
    try:
        return tuple(ipaddress.ip_network(str(item).strip(), strict=False) for item in items)
    except ValueError as exc:
        raise ConfigError(f"TRUSTED_PROXIES 里有看不懂的地址：{exc}。请写 IP 地址或网段，用逗号分隔，"
                          "例如 127.0.0.1,10.0.0.0/8。") from None


def _dev_secret(instance_path: str) -> str:
    """A per-install secret for the demo, kept in instance/ so sessions survive a restart."""
    path = Path(instance_path) / "dev-secret-key"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(secrets.token_hex(32))
        return path.read_text().strip()
    except OSError:
        return secrets.token_hex(32)
