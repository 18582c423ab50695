from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/url_with_serial")
def url_with_serial():
    m = Member.get(Member.nickname == request.args["n"])
    return {"href": f"/members/{m.id}"}  # expect: IDL008
