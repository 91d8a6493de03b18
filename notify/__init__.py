"""Reaching people outside the site: WeChat subscription messages, SMS providers, each person's choice of channel."""
