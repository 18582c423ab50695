import codec
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/passthrough_unknown")
def passthrough_unknown():
    m = Member.get(Member.nickname == request.args["n"])
    token = codec.pack(m.id)
    return {"token": token}  # expect: IDL001
