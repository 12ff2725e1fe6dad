"""The channel layer keeps a burst for a socket that has not read it yet, rather than dropping what
passes its capacity (bench/websocket_fanout: 200 teammates watching one conversation, 50 replies)."""

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from agent_platform import realtime

# 50 replies, each `message.created` and `conversation.updated` (then sent twice: the workspace's group
# and the conversation's), all waiting for one socket whose web process has not drained them yet.
BURST = 150


def test_a_burst_waiting_for_a_slow_socket_is_not_dropped():
    layer = get_channel_layer()

    async def scenario():
        channel = await layer.new_channel()
        group = realtime.group(987_654, "conversation", 1)
        await layer.group_add(group, channel)
        for n in range(BURST):
            await layer.group_send(
                group, {"type": realtime.CONSUMER_HANDLER, "event": "message.created", "payload": {"n": n}}
            )
        received = []
        try:
            while len(received) < BURST:
                received.append((await asyncio.wait_for(layer.receive(channel), 2))["payload"]["n"])
        except TimeoutError:
            pass  # nothing more is coming: the layer dropped the rest
        finally:
            await layer.group_discard(group, channel)
        return received

    assert async_to_sync(scenario)() == list(range(BURST))
