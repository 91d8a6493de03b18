"""The OpenAPI document describes what the API really takes and answers (issue 11, item 16).

tests/api/test_schemathesis.py holds the served API to this document; these check the document's own promises:
a bearer scheme, every body and parameter, the statuses, and the `{"error": ...}` envelope as every error's schema.
"""
import pytest

ENVELOPE = "#/components/schemas/ErrorEnvelope"
PAGED = ["/api/v1/villages/{slug}/disclosures", "/api/v1/villages/{slug}/powers", "/api/v1/villages/{slug}/cadres",
         "/api/v1/villages/{slug}/wall", "/api/v1/villages/{slug}/codes", "/api/v1/me/reports", "/api/v1/shops",
         "/api/v1/triage/reports", "/api/v1/triage/notifications", "/api/v1/shop/redemptions"]
PUBLIC = {("post", "/api/v1/auth/login"), ("post", "/api/v1/auth/sms"), ("post", "/api/v1/auth/sms/verify"),
          ("get", "/api/v1/q/{code}"), ("get", "/api/v1/villages/{slug}"), ("get", "/api/v1/shops"),
          ("get", "/api/v1/track/{code}")}


@pytest.fixture(scope="module")
def spec(app):
    """The document as a client downloads it."""
    return app.test_client().get("/api/v1/openapi.json").get_json()


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield method, path, operation


def test_the_bearer_scheme_is_the_one_login_hands_out(spec):
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"} and "/api/v1/auth/login" in scheme["description"]


def test_every_error_answer_has_the_envelope_and_no_operation_hides_behind_default(spec):
    for method, path, operation in _operations(spec):
        assert "default" not in operation["responses"], (method, path)
        errors = {status: r for status, r in operation["responses"].items() if int(status) >= 400}
        assert errors, (method, path)
        for status, response in errors.items():
            assert response["content"]["application/json"]["schema"] == {"$ref": ENVELOPE}, (method, path, status)
            assert response["description"], (method, path, status)


def test_the_envelope_is_what_errors_py_answers(spec, client):
    schemas = spec["components"]["schemas"]
    assert schemas["ErrorEnvelope"]["required"] == ["error"] and schemas["ErrorEnvelope"]["additionalProperties"] is False
    detail = schemas["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message"} and {"fields", "rows"} <= set(detail["properties"])
    answered = client.post("/api/v1/auth/login", json={"phone": "x"}).get_json()
    assert set(answered) == {"error"} and set(answered["error"]) == {"code", "message", "fields"}


def test_operations_that_need_a_login_say_so_and_public_ones_do_not(spec, client):
    for method, path, operation in _operations(spec):
        needed = operation.get("security") == [{"bearerAuth": []}]
        if needed:
            assert "401" in operation["responses"], (method, path)
        if (method, path) in PUBLIC:
            assert not needed, (method, path)
    me = spec["paths"]["/api/v1/me"]["get"]
    assert me["security"] == [{"bearerAuth": []}] and client.get("/api/v1/me").status_code == 401


def test_every_write_documents_its_body(spec):
    without = {("post", "/api/v1/disclosures/{id}/corrections"), ("post", "/api/v1/codes/{code}/revoke"),
               ("post", "/api/v1/clients")}  # these take no body
    for method, path, operation in _operations(spec):
        if method == "post" and (method, path) not in without:
            assert operation.get("requestBody", {}).get("content"), (method, path)
    assert "multipart/form-data" in spec["paths"]["/api/v1/disclosures/{id}/lines/import"]["post"]["requestBody"][
        "content"]
    report = spec["paths"]["/api/v1/villages/{slug}/reports"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(report)


def test_lists_document_paging_and_filters(spec):
    for path in PAGED:
        names = {p["name"] for p in spec["paths"][path]["get"]["parameters"] if p["in"] == "query"}
        assert {"page", "per_page"} <= names, path
    desk = {p["name"] for p in spec["paths"]["/api/v1/triage/reports"]["get"]["parameters"]}
    assert {"status", "level", "colour"} <= desk
    page = next(p for p in spec["paths"]["/api/v1/shops"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["maximum"] == 100_000


def test_ids_in_paths_carry_the_databases_bounds(spec):
    id_parameter = spec["paths"]["/api/v1/disclosures/{id}"]["parameters"][0]
    assert id_parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
    redeem = spec["paths"]["/api/v1/shops/{code}/redemptions"]["post"]
    assert any(p["in"] == "header" and p["name"] == "Idempotency-Key" and p["required"] for p in redeem["parameters"])


def test_files_are_documented_as_files(spec):
    poster = spec["paths"]["/api/v1/codes/{code}/poster.{fmt}"]
    assert set(poster["get"]["responses"]["200"]["content"]) == {"image/png", "application/pdf"}
    assert poster["parameters"][1]["schema"]["enum"] == ["png", "pdf"]
