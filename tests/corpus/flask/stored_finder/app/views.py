from flask import Blueprint, jsonify, request

from .models import Member

bp = Blueprint("api", __name__)

FINDERS = {"member": Member.query.filter_by}


class Sheet:
    def __init__(self, member):
        self.member = member

    def owner(self):
        return self.member.owner_id


@bp.get("/lookup/<kind>")
def lookup(kind):
    found = FINDERS[kind](nickname=request.args["q"]).first_or_404()
    return jsonify({"number": found.id})  # expect: IDL001


@bp.get("/sheet")
def sheet():
    m = Member.query.filter_by(nickname=request.args["q"]).first_or_404()
    later = Sheet(m).owner
    return jsonify({"owner": later()})  # expect: IDL001
