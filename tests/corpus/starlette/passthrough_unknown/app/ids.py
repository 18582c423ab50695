import base64
import hashlib
import hmac
import os

KEY = os.environ["ID_KEY"].encode()


def encode_id(n):
    return base64.urlsafe_b64encode(str(n).encode()).decode()


def sign_id(n):
    return hmac.new(KEY, str(n).encode(), hashlib.sha256).hexdigest()


def public_ref(n):
    return "ref_" + encode_id(n)
