from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/compare_clean")
def compare_clean():
    m = Member.get(Member.nickname == request.args["n"])
    first = m.id == 1
    return {"first": first}
