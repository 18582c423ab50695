from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/uuid_pk_clean")
def uuid_pk_clean():
    room = Room.get(Room.title == request.args["t"])
    return {"room": str(room.id)}
