"""The floor every page is measured against: a hello-world Flask app, served by the same gunicorn settings."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """Hello, in as little work as Flask can do."""
    return "Hello"
