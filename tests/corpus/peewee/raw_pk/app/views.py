from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/raw_pk")
def raw_pk():
    m = Member.get(Member.nickname == request.args["n"])
    return {"id": m.id, "nick": m.nickname}  # expect: IDL001
