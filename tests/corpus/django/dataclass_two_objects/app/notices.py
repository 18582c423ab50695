from dataclasses import dataclass


@dataclass
class Notice:
    title: str
    body: str

    @property
    def text(self):
        return self.body

    def payload(self):
        return {"title": self.title, "text": self.text}


def build(title, body):
    return Notice(title=title, body=body)
