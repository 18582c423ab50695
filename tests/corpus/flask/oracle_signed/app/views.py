import os

from itsdangerous import URLSafeSerializer
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/oracle_signed")
def oracle_signed():
    data = URLSafeSerializer(os.environ["K"]).loads(request.args["v"])
    return jsonify({"member": data["m"]})  # expect: IDL005
