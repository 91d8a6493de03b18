"""Rate limits of the report area: floods and code guessing stop, nobody's address is kept.

Keys come from accounts.ratelimit (the account, else a daily-salted hash of the address); counters
live in the limiter's store (memory here, Redis in production), never in the database.
"""
from accounts.ratelimit import address_only_key
from extensions import limiter

# Submissions: a villager files a few reports; a whole village behind one carrier NAT files more.
submit_per_client = limiter.shared_limit("5 per 10 minutes;30 per day", scope="report-submit",
                                         methods=["POST"])
submit_per_address = limiter.shared_limit("200 per hour", scope="report-submit-address",
                                          key_func=address_only_key, methods=["POST"])
# Tracking codes: only wrong tries count, 10 per client per hour across the page, the link and the API.
wrong_codes = limiter.shared_limit("10 per hour", scope="tracking-code-guess",
                                   deduct_when=lambda response: response.status_code == 404)
# Reporter's additions through a code.
reporter_writes = limiter.shared_limit("20 per hour", scope="reporter-writes", methods=["POST"])
