from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .models import Member


class LobbyConsumer(AsyncJsonWebsocketConsumer):
    async def receive_json(self, content):
        m = await Member.objects.aget(nickname=content["nick"])
        await self.send_json({"joined": m.id})  # expect: IDL001
