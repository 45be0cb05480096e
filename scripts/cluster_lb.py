"""A round-robin TCP balancer for `make cluster`: the job runner (and a browser) reach both Odoo servers
through one port, as they would through nginx or haproxy in production.

usage: cluster_lb.py LISTEN_PORT BACKEND_PORT [BACKEND_PORT ...]   (all on 127.0.0.1)
"""

import asyncio
import itertools
import sys


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main(listen, backends):
    turn = itertools.cycle(backends)

    async def handle(client_reader, client_writer):
        # a backend that is down (a server being restarted) is skipped
        for _attempt in range(len(backends)):
            port = next(turn)
            try:
                server_reader, server_writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                continue
        else:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))

    server = await asyncio.start_server(handle, "127.0.0.1", listen)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), [int(port) for port in sys.argv[2:]]))
