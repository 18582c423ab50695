from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/composite")
def composite():
    m = Member.get(Member.nickname == request.args["n"])
    ref = f"{m.owner_id}-{m.id}"
    return {"ref": ref}  # expect: IDL002
