from .tasks import send_welcome
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/task_id_clean")
def task_id_clean():
    m = Member.get(Member.nickname == request.args["n"])
    job = send_welcome.delay(m.nickname)
    return {"job": job.id}
