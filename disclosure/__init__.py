"""三务公开: disclosures and their revisions, finance lines, the power list, cadres."""
