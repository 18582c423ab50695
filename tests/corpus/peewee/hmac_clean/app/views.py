from .ids import sign_id
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/hmac_clean")
def hmac_clean():
    m = Member.get(Member.nickname == request.args["n"])
    return {"pid": sign_id(m.id)}
