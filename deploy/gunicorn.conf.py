"""Sample gunicorn settings: threads for Flask, no access log (nginx keeps its own, minus private paths)."""
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", 4))
timeout = 60
graceful_timeout = 30
accesslog = None  # access logs would carry addresses of anonymous reporters
errorlog = "-"
# Only nginx on this machine may set X-Forwarded-Proto for gunicorn; the app itself believes
# X-Forwarded-For only from TRUSTED_PROXIES (webguard.TrustedProxyFix).
forwarded_allow_ips = "127.0.0.1"
wsgi_app = "app:create_app()"


def post_worker_init(worker):
    """Say when a worker has loaded the app and starts taking requests."""
    worker.log.info("worker %s ready to serve", worker.pid)
