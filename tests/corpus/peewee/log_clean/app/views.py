import logging

log = logging.getLogger(__name__)
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/log_clean")
def log_clean():
    m = Member.get(Member.nickname == request.args["n"])
    log.info("served member %s", m.id)
    return {"nick": m.nickname}
