import base64


def masked(pk):
    return base64.b32encode(str(pk).encode()).decode()
