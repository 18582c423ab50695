import os

from cryptography.fernet import Fernet
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/fernet_clean")
def fernet_clean():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    token = Fernet(os.environ["KEY"]).encrypt(str(m.id).encode()).decode()
    return jsonify({"token": token})
