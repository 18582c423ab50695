from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/public_id_clean")
def public_id_clean():
    m = Member.get(Member.nickname == request.args["n"])
    return {"id": m.public_id, "nick": m.nickname}
