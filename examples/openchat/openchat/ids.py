"""Identifier helpers. Only the last one protects anything."""

import base64
import hashlib
import hmac

from flask import current_app


def temporary_id(room_id, member_id):
    # "Obfuscated" temporary ID: base64 of room:member, readable by anyone.
    raw = f"{room_id}:{member_id}".encode()
    return base64.urlsafe_b64encode(raw).decode()


def hashed_member(member_id):
    # An unkeyed hash of a small integer: a table of every hash takes seconds to build.
    return hashlib.sha256(str(member_id).encode()).hexdigest()


def room_pseudonym(room_id, member_id):
    key = current_app.config["ID_KEY"].encode()
    message = f"{room_id}:{member_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
