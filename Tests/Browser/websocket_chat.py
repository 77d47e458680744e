#!/usr/bin/env python3
"""One conversation over kefu-server's WebSocket, as an app would hold it.

usage: websocket_chat.py BASE_URL
The token as the first message, then lines answered one JSON turn each; the token in the address; a wrong token
refused. Exits 1 with the reason on the first thing that is wrong. Needs python3-websockets.
"""
import asyncio
import json
import sys
import urllib.request

import websockets


def fail(message):
    print("websocket: " + message, file=sys.stderr)
    sys.exit(1)


async def main(base):
    request = urllib.request.Request(base + "/v1/sessions", data=b'{"lang": "en"}', method="POST",
                                     headers={"Content-Type": "application/json"})
    started = json.load(urllib.request.urlopen(request))
    socket = base.replace("http://", "ws://") + "/v1/sessions/" + started["session"] + "/ws"
    async with websockets.connect(socket) as ws:
        await ws.send(json.dumps({"token": started["token"]}))
        if json.loads(await ws.recv()) != {"ready": True}:
            fail("the token message was not accepted")
        await ws.send(json.dumps({"text": "how long does a withdrawal take"}))
        turn = json.loads(await ws.recv())
        if turn.get("matched") != "withdraw-time" or not turn.get("reply"):
            fail("the question got %r" % turn)
        await ws.send("I want to invest")
        if json.loads(await ws.recv()).get("state") != "profiling:age":
            fail("a bare line is not read as the customer's")
    async with websockets.connect(socket + "?token=" + started["token"]) as ws:
        await ws.send("42")
        turn = json.loads(await ws.recv())
        if turn.get("state") != "profiling:income":
            fail("the conversation did not continue over a new socket: %r" % turn)
    async with websockets.connect(socket + "?token=" + "0" * 32) as ws:
        refusal = json.loads(await ws.recv())
        if "error" not in refusal:
            fail("a wrong token was not refused: %r" % refusal)
        try:
            await ws.recv()
            fail("the socket stayed open after a wrong token")
        except websockets.ConnectionClosed:
            pass
    print("websocket: ok")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
