from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/prose")
def prose():
    m = Member.get(Member.nickname == request.args["n"])
    return {"status": f"Member {m.id} joined"}  # expect: IDL001
