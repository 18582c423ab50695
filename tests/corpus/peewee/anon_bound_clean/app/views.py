import hashlib
import hmac
import os

KEY = os.environ["K"].encode()
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/anon_bound_clean")
def anon_bound_clean():
    m = Member.get(Member.nickname == request.args["n"])
    room = Room.get(Room.title == request.args["t"])
    pid = hmac.new(KEY, f"{room.id}:{m.id}".encode(), hashlib.sha256).hexdigest()
    return {"speaker": pid}
