from flask import abort
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/error_detail")
def error_detail():
    m = Member.get(Member.nickname == request.args["n"])
    abort(409, description=f"member {m.id} is busy")  # expect: IDL001
    return {"ok": True}
