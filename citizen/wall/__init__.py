"""回音壁: answered cases on the public wall, flags anyone may raise, and moderation with a reason."""
