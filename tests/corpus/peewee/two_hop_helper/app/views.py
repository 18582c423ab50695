from .ids import public_ref
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/two_hop_helper")
def two_hop_helper():
    m = Member.get(Member.nickname == request.args["n"])
    return {"ref": public_ref(m.id)}  # expect: IDL003
