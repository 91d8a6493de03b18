"""What villagers send and how it is handled: QR landing, reports, tracking, the wall, desks, posters."""
