from promise import Promise
from promise.dataloader import DataLoader

from .models import Member


class RequestLoader[K, V](DataLoader):
    def __init__(self, context):
        self.context = context
        super().__init__()

    def batch_load_fn(self, keys):
        return Promise.resolve(self.fetch(keys))

    def fetch(self, keys):
        return [None for _ in keys]


class CrewByNicknameLoader(RequestLoader[str, list[Member]]):
    def fetch(self, keys):
        crews = {}
        for member in Member.objects.filter(nickname__in=keys):
            crews.setdefault(member.nickname, []).append(member)
        return [crews.get(k, []) for k in keys]
