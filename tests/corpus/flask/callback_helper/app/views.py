from flask import Blueprint, jsonify

from .ids import collect
from .models import Member

bp = Blueprint("api", __name__)


@bp.get("/roster")
def roster():
    rows = Member.query.all()
    return jsonify({"refs": collect(rows, lambda m: m.id)})  # expect: IDL001


@bp.get("/names")
def names():
    rows = Member.query.all()
    return jsonify({"names": collect(rows, lambda m: m.nickname)})
