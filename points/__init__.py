"""The points ledger, earn rules, shops, redemption and settlement."""
