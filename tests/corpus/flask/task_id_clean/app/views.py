from .tasks import send_welcome
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/task_id_clean")
def task_id_clean():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    job = send_welcome.delay(m.nickname)
    return jsonify({"job": job.id})
