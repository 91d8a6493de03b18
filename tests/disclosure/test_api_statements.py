"""The disclosure API runs a fixed number of statements whatever the number of lines, and says the same as its schema."""
from datetime import date

from disclosure.publishing import create_disclosure, current_revision, publish
from disclosure.receipt import line_rows
from disclosure.schemas import PublicLineSchema, PublicDisclosureSchema


def _finance(hexi, clerk, lines: int, period: str):
    """A published finance disclosure of `lines` lines."""
    rows = [{"date": f"{period}-{1 + i % 28:02d}", "direction": "expense" if i % 3 else "income",
             "amount": f"{i % 90 + 1}.25", "category": "办公费", "text": f"第{i}笔 购入办公用品",
             "counterparty": "供销社" if i % 2 else "", "voucher": str(i) if i % 5 else ""} for i in range(lines)]
    disclosure = create_disclosure(hexi, clerk, {"category": "finance", "mode": "regular", "title": f"{period} 财务",
                                                "period": period, "body": "", "lines": rows})
    publish(disclosure, clerk)
    return disclosure


def _statements(client, count_queries, disclosure_id: int) -> int:
    """Statements one request of the disclosure API runs (its counters flushed first, as after any request)."""
    client.get(f"/api/v1/disclosures/{disclosure_id}")
    with count_queries() as statements:
        response = client.get(f"/api/v1/disclosures/{disclosure_id}")
    assert response.status_code == 200
    return len([s for s in statements if not s.lstrip().upper().startswith(("UPDATE", "INSERT", "SAVEPOINT",
                                                                              "RELEASE"))])


def test_disclosure_api_statements_do_not_grow_with_lines(client, hexi, people, count_queries, session):
    small = _finance(hexi, people["clerk"], 3, "2026-07")
    big = _finance(hexi, people["clerk"], 300, "2026-08")
    assert _statements(client, count_queries, big.id) == _statements(client, count_queries, small.id)


def test_disclosure_api_lines_read_as_the_line_schema_says(client, hexi, people, session):
    disclosure = _finance(hexi, people["clerk"], 12, "2026-09")
    body = client.get(f"/api/v1/disclosures/{disclosure.id}").get_json()
    rows = line_rows(current_revision(disclosure))
    assert body["lines"] == PublicLineSchema(many=True).dump(rows)
    assert body["lines"][0]["date"] == date(2026, 9, 1).isoformat() and len(body["lines"]) == 12
    assert "lines" in PublicDisclosureSchema().fields
