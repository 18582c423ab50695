from aiohttp import web

from .models import Member, Room


async def uuid_pk_clean(request):
    room = Room.get(Room.title == "t")
    return web.json_response({"room": str(room.id)})
