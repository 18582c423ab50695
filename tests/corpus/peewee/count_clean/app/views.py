from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/count_clean")
def count_clean():
    rows = Member.select()
    ids = [r.id for r in rows]
    return {"count": len(ids)}
