from flask import abort
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/error_detail_clean")
def error_detail_clean():
    m = Member.get(Member.nickname == request.args["n"])
    abort(409, description=f"member {m.nickname} is busy")
    return {"ok": True}
