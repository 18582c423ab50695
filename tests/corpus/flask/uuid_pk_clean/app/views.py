from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/uuid_pk_clean")
def uuid_pk_clean():
    room = Room.query.filter_by(title=request.args["t"]).first_or_404()
    return jsonify({"room": str(room.id)})
