"""A small HTTP/1.1 load generator for 127.0.0.1, used when wrk is not installed.

Keep-alive connections, each sending GETs one after another over the given paths for a
fixed time. Python costs more CPU per request than wrk, which shares the machine with the
server: its figures are lower bounds.
"""

import asyncio
import statistics
import time
from urllib.parse import urlsplit


async def connection(host, port, paths, offset, deadline, latencies, counts, headers=()):
    reader, writer = await asyncio.open_connection(host, port)
    i = offset
    try:
        while time.monotonic() < deadline:
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            extra = "".join(f"{header}\r\n" for header in headers)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n".encode())
            status = int((await reader.readline()).split()[1])
            length, close = 0, False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and "close" in value.lower():
                    close = True
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            counts["errors" if status >= 400 else "ok"] += 1
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
        counts["errors"] += 1
    finally:
        writer.close()


async def main(url, paths, connections, seconds, headers=()):
    parts = urlsplit(url)
    latencies, counts = [], {"ok": 0, "errors": 0}
    start = time.monotonic()
    deadline = start + seconds
    await asyncio.gather(
        *(
            connection(parts.hostname, parts.port, paths, n, deadline, latencies, counts, headers)
            for n in range(connections)
        )
    )
    elapsed = time.monotonic() - start
    ordered = sorted(latencies) or [0.0]
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(ordered) * 1000,
        "p99": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000,
        "requests": len(latencies),
        "errors": counts["errors"],
    }


def run(url, paths, connections, seconds, headers=()):
    return asyncio.run(main(url, paths, connections, seconds, headers))
