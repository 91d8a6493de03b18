"""Where a villager starts: the list of villages, a village's home page, and the village summary."""
