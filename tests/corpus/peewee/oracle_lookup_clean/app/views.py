import base64
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/oracle_lookup_clean")
def oracle_lookup_clean():
    key = base64.urlsafe_b64decode(request.args["v"]).decode()
    m = Member.get_by_id(int(key))
    return {"nick": m.nickname}
