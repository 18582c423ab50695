from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/raw_fk")
def raw_fk():
    m = Member.get(Member.nickname == request.args["n"])
    return {"owner": m.owner_id}  # expect: IDL001
