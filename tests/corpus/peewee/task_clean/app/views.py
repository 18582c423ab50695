from .tasks import send_welcome
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/task_clean")
def task_clean():
    m = Member.get(Member.nickname == request.args["n"])
    send_welcome.delay(m.id)
    return {"ok": True}
