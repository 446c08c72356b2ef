"""The hello-world baseline of the HTTP benchmark: the smallest Flask app on the same gunicorn setup."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
@app.get("/hello")
def hello() -> str:
    return "hello"
