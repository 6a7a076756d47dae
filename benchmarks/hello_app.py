"""The ceiling: the smallest Flask app, served by gunicorn exactly like the real one."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello"


@app.post("/")
def hello_post():
    return "Hello", 201
