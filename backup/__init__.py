"""Backups of a whole install (database and uploaded files) and their restore into an empty one."""
