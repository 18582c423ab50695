from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/format_composite")
def format_composite():
    m = Member.get(Member.nickname == request.args["n"])
    ref = "{}:{}".format(m.owner_id, m.id)
    return {"ref": ref}  # expect: IDL002
