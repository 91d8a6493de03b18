"""Privacy: what is kept and for how long (the township's retention policy), the notice villagers read, the daily purge."""
