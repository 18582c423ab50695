from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/anon_member")
def anon_member():
    m = Member.get(Member.nickname == request.args["n"])
    return {"speaker": m.id}  # expect: IDL007
