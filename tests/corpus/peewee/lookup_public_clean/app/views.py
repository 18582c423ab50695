from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/lookup_public_clean")
def lookup_public_clean():
    key = request.args["v"]
    m = Member.get(Member.public_id == key)
    return {"phone": m.phone}
