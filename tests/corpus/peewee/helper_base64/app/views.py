from .ids import encode_id
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/helper_base64")
def helper_base64():
    m = Member.get(Member.nickname == request.args["n"])
    token = encode_id(m.id)
    return {"token": token}  # expect: IDL003
