from .tasks import send_welcome
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/task_clean")
def task_clean():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    send_welcome.delay(m.id)
    return jsonify({"ok": True})
