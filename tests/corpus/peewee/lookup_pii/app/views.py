from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/lookup_pii")
def lookup_pii():
    key = request.args["v"]
    m = Member.get_by_id(int(key))
    return {"phone": m.phone}  # expect: IDL006
