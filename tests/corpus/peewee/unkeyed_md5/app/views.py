import hashlib
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/unkeyed_md5")
def unkeyed_md5():
    m = Member.get(Member.nickname == request.args["n"])
    key = hashlib.md5(str(m.id).encode()).hexdigest()
    return {"avatar": key}  # expect: IDL004
