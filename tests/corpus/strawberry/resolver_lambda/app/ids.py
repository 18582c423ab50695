import base64


def wrap(pk):
    return base64.urlsafe_b64encode(str(pk).encode()).decode()
