"""The worker: huey's consumer running our tasks, with a heartbeat that also gives dead workers' jobs back."""
import logging
import threading

from flask import Flask

log = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    """Every few seconds: say this worker is alive, and put the jobs of dead workers back in the queue."""

    def __init__(self, huey, lease: float):
        super().__init__(name="jobs-heartbeat", daemon=True)
        self.huey, self.lease = huey, lease
        self.every = max(0.5, min(10.0, lease / 3))
        self.stopped = threading.Event()

    def tick(self) -> int:
        """One beat and one reclaim; returns how many jobs went back to the queue."""
        self.huey.storage.beat(self.huey.owner, self.lease)
        moved = self.huey.storage.reclaim(self.lease)
        if moved:
            log.warning("%d job(s) of a stopped worker went back to the queue", moved)
        return moved

    def run(self) -> None:
        """Beat until stopped; a storage error is logged and tried again on the next beat."""
        while not self.stopped.wait(self.every):
            try:
                self.tick()
            except Exception:  # noqa: BLE001  (the beat must outlive a storage hiccup)
                log.exception("job heartbeat failed")


def run_worker(app: Flask, workers: int = 2, periodic: bool = True) -> None:
    """Run the consumer in this process until SIGINT (finish running jobs) or SIGTERM (stop now)."""
    huey = app.extensions["jobs"]
    if huey.immediate:
        raise RuntimeError("JOBS_IMMEDIATE 已开启：任务在请求中直接执行，不需要也不能启动后台进程。")
    beat = Heartbeat(huey, float(app.config["JOBS_LEASE_SECONDS"]))
    beat.tick()  # jobs a killed worker left in flight run first
    beat.start()
    consumer = huey.create_consumer(workers=workers, periodic=periodic, worker_type="thread",
                                    initial_delay=0.05, backoff=1.5, max_delay=1.0, check_worker_health=True)
    log.info("jobs worker %s started: %d thread(s), periodic tasks %s", huey.owner, workers,
             "on" if periodic else "off")
    try:
        consumer.run()
    finally:
        beat.stopped.set()
        huey.storage.forget(huey.owner)
