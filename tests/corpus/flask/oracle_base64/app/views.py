import base64
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/oracle_base64")
def oracle_base64():
    plain = base64.urlsafe_b64decode(request.args["v"]).decode()
    return jsonify({"plain": plain})  # expect: IDL005
