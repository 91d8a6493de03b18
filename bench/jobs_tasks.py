"""The task bench/bench_jobs.py queues: nothing but the queue's own work (app context, unit of work)."""
from jobs.queue import task


@task("测速：空任务", retries=0)
def noop(n: int) -> int:
    """Do nothing; the bench measures what the queue and worker cost per job."""
    return n
