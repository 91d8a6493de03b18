"""Background jobs: the huey queue, durable storages, the worker, and the failed-jobs list staff see."""
