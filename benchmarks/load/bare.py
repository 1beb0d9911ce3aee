"""The reference for benchmarks/load/wrk.py: a bare Flask app with one trivial endpoint,
served by the same gunicorn settings as FairPanel."""
from flask import Flask

app = Flask("bare")


@app.get("/")
def index():
    return "ok"
