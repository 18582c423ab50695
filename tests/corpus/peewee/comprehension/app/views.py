from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/comprehension")
def comprehension():
    rows = Member.select()
    return {"members": [{"id": r.id} for r in rows]}  # expect: IDL001
