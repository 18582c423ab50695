from .cache import cache
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/cache_clean")
def cache_clean():
    m = Member.get(Member.nickname == request.args["n"])
    cache.set(f"member:{m.id}", m.nickname)
    return {"nick": m.nickname}
