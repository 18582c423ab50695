import loaders
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/lookup_unknown_clean")
def lookup_unknown_clean():
    m = Member.get(Member.nickname == request.args["n"])
    owner = loaders.load_owner(m.id)
    return {"owner": owner.name}
