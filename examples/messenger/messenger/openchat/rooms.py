import logging

from flask import jsonify

from .. import app
from ..ids import hashed_member, member_pseudonym, room_pseudonym, temporary_id
from ..models import OpenChatRoom, Participant

log = logging.getLogger(__name__)


@app.get("/openchat/rooms/<int:room_id>/participants")
def participants(room_id):
    room = OpenChatRoom.query.get_or_404(room_id)
    people = []
    for p in Participant.query.filter_by(room_id=room.id):
        log.info("listing member %s", p.member_id)  # logs are not client-visible
        people.append({
            "tid": temporary_id(room.id, p.member_id),
            "nickname": p.nickname,
        })
    return jsonify({"room": room.title, "participants": people})


@app.get("/openchat/rooms/<int:room_id>/legacy")
def legacy_participants(room_id):
    # Rooms created before the cut-over carried the member serial unencrypted.
    rows = Participant.query.filter_by(room_id=room_id).all()
    return {"participants": [{"member": p.member_id, "nick": p.nickname} for p in rows]}


@app.get("/openchat/rooms/<int:room_id>/avatars")
def avatars(room_id):
    rows = Participant.query.filter_by(room_id=room_id).all()
    return jsonify([{"avatar_key": hashed_member(p.member_id)} for p in rows])


@app.get("/openchat/rooms/<int:room_id>/authors")
def authors(room_id):
    rows = Participant.query.filter_by(room_id=room_id).all()
    return jsonify([{"author": member_pseudonym(p.member_id)} for p in rows])


@app.get("/openchat/rooms/<int:room_id>/safe")
def safe_participants(room_id):
    rows = Participant.query.filter_by(room_id=room_id).all()
    return jsonify([
        {"pid": room_pseudonym(room_id, p.member_id), "nickname": p.nickname} for p in rows
    ])
