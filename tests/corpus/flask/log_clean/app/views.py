import logging

log = logging.getLogger(__name__)
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/log_clean")
def log_clean():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    log.info("served member %s", m.id)
    return jsonify({"nick": m.nickname})
