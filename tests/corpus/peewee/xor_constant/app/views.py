from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/xor_constant")
def xor_constant():
    m = Member.get(Member.nickname == request.args["n"])
    return {"ref": m.id ^ 0x5BD1E995}  # expect: IDL003
