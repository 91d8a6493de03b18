"""Tables of the citizen area: QR codes, reports, events, photos (added by the reports issue)."""
