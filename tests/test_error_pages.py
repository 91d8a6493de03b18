"""The 500 answer says only what is true: the action may not have gone through, and what to do."""
import pytest

from app import create_app


@pytest.fixture
def failing_client(tmp_path):
    """An app with a page and an API route that fail after reading the submission."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/e.db",
                      "WTF_CSRF_ENABLED": False})

    @app.route("/v/x/report-that-fails", methods=["POST"])
    def page_boom():
        raise OSError(28, "No space left on device")

    @app.route("/api/v1/report-that-fails", methods=["POST"])
    def api_boom():
        raise OSError(28, "No space left on device")

    return app.test_client()


def test_500_page_never_claims_the_submission_was_kept(failing_client):
    page = failing_client.post("/v/x/report-that-fails", data={"content": "反映内容"})
    text = page.get_data(as_text=True)
    assert page.status_code == 500
    assert "不会丢失" not in text and "已保存" not in text
    assert "可能没有完成" in text and "查询码" in text and "再提交一次" in text


def test_500_json_says_the_same(failing_client):
    error = failing_client.post("/api/v1/report-that-fails", json={}).get_json()["error"]
    assert error["code"] == "server_error"
    assert "不会丢失" not in error["message"] and "可能没有完成" in error["message"]
