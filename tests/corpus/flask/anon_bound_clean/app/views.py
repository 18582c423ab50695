import hashlib
import hmac
import os

KEY = os.environ["K"].encode()
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/anon_bound_clean")
def anon_bound_clean():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    room = Room.query.filter_by(title=request.args["t"]).first_or_404()
    pid = hmac.new(KEY, f"{room.id}:{m.id}".encode(), hashlib.sha256).hexdigest()
    return jsonify({"speaker": pid})
