from flask import jsonify, request

from .. import app
from ..ids import read_temporary_id


@app.get("/openchat/board/author")
def board_author():
    # The board shows who wrote a post: it decrypts the temporary ID the client sends.
    room_id, member_id = read_temporary_id(request.args["tid"])
    return jsonify({"room": room_id, "author": member_id})
