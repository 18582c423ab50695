"""Identifier helpers. Only room_pseudonym protects anything."""

import base64
import hashlib
import hmac

from flask import current_app


def temporary_id(room_id, member_id):
    # "Obfuscated" temporary ID: base64 of room:member, readable by anyone.
    raw = f"{room_id}:{member_id}".encode()
    return base64.urlsafe_b64encode(raw).decode()


def read_temporary_id(token):
    room_id, member_id = base64.urlsafe_b64decode(token).decode().split(":")
    return int(room_id), int(member_id)


def hashed_member(member_id):
    # An unkeyed hash of a small integer: a table of every hash takes seconds to build.
    return hashlib.sha256(str(member_id).encode()).hexdigest()


def member_pseudonym(member_id):
    # Keyed, but the same value in every room: it links one person across rooms.
    key = current_app.config["ID_KEY"].encode()
    return hmac.new(key, str(member_id).encode(), hashlib.sha256).hexdigest()


def room_pseudonym(room_id, member_id):
    # Keyed and bound to the room: safe to show in that room.
    key = current_app.config["ID_KEY"].encode()
    message = f"{room_id}:{member_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
