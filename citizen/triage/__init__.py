"""The handlers' desks: queues, the case view, notices, the township overview, settings and reply templates."""
