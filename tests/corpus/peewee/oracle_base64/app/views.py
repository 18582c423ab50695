import base64
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/oracle_base64")
def oracle_base64():
    plain = base64.urlsafe_b64decode(request.args["v"]).decode()
    return {"plain": plain}  # expect: IDL005
