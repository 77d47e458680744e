#!/usr/bin/env python3
"""Load on one kefu-server: 40 conversations x 25 turns sent by 8 concurrent clients over HTTP keep-alive, then
1,000 WebSocket conversations held open at once, with the server's memory.

usage: Benchmarks/server_load.py [--server .build/release/kefu-server] (--postgres URL | --db PATH)
                                 [--sessions 40] [--turns 25] [--clients 8] [--sockets 1000]

Prints turns/s, latency percentiles as the clients saw them, the server's own time per turn (from /metrics: engine
and storage), and the resident memory before and with the sockets open. Start PostgreSQL first for --postgres
(Scripts/test-postgres start). Needs python3-websockets for the socket part.
"""
import argparse
import http.client
import json
import os
import queue
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

# Lines as customers send them: questions, a profile being answered, small talk; Chinese and English.
LINES = [
    "提现多久到账", "我想理财", "35", "月入两万", "上班族", "稳健存钱", "三年内不用", "亏10%以内可以", "买过基金",
    "10万", "零钱通是什么", "手续费多少", "how long does a withdrawal take", "what is Cash Plus", "我的卡被盗刷了怎么办",
    "怎么修改手机号", "收益怎么算", "能提前还款吗", "谢谢", "I want to invest", "42", "about 15k a month",
    "saving for my kid's education", "5 years", "银行卡怎么解绑",
]


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start_server(arguments):
    folder = tempfile.mkdtemp(prefix="kefu-load-")
    token = os.path.join(folder, "agent-token")
    with open(token, "w") as handle:
        handle.write("agent-token-for-the-load-benchmark")
    log = open(os.path.join(folder, "server.log"), "w+")
    # The load comes from one address, as many customers' would through a proxy, and sends each line at once: no limits.
    process = subprocess.Popen([arguments.server, "--port", "0", "--agent-token-file", token, "--limit-per-address", "0", "--limit-per-session", "0"] + arguments.database,
                               stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        log.seek(0)
        found = re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read())
        if found:
            return process, int(found.group(1))
        if process.poll() is not None:
            break
        time.sleep(0.05)
    log.seek(0)
    sys.exit("kefu-server did not start:\n" + log.read())


def request(connection, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    data = response.read()
    return response.status, data


def client(port, work, latencies, errors, turns):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.connect()
    connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        try:
            work.get_nowait()
        except queue.Empty:
            break
        status, data = request(connection, "POST", "/v1/sessions", {"lang": "auto", "channel": "web"})
        if status != 201:
            errors.append(status)
            continue
        started = json.loads(data)
        for index in range(turns):
            line = LINES[index % len(LINES)]
            begin = time.perf_counter()
            status, _ = request(connection, "POST", "/v1/sessions/%s/messages" % started["session"], {"text": line}, started["token"])
            latencies.append(time.perf_counter() - begin)
            if status != 200:
                errors.append(status)
    connection.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def server_turn_time(port):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    _, data = request(connection, "GET", "/metrics")
    text = data.decode()
    total = float(re.search(r"kefu_turn_duration_seconds_sum ([0-9.e+-]+)", text).group(1))
    count = float(re.search(r"kefu_turn_duration_seconds_count ([0-9.e+-]+)", text).group(1))
    return total / count if count else 0.0


def hold_sockets(port, count):
    import asyncio
    import websockets

    async def one(index, ready, release):
        connection = http.client.HTTPConnection("127.0.0.1", port)
        status, data = request(connection, "POST", "/v1/sessions", {"lang": "zh"})
        started = json.loads(data)
        async with websockets.connect("ws://127.0.0.1:%d/v1/sessions/%s/ws?token=%s" % (port, started["session"], started["token"]),
                                      ping_interval=None) as ws:
            await ws.send(LINES[index % len(LINES)])
            await ws.recv()
            ready.append(index)
            await release.wait()

    async def main():
        ready, release = [], asyncio.Event()
        tasks = []
        for index in range(count):
            tasks.append(asyncio.create_task(one(index, ready, release)))
            if index % 50 == 49:
                await asyncio.sleep(0.05)
        while len(ready) < count:
            if any(task.done() and task.exception() for task in tasks):
                raise next(task.exception() for task in tasks if task.done() and task.exception())
            await asyncio.sleep(0.1)
        measured = yield_point["measure"]()
        release.set()
        await asyncio.gather(*tasks)
        return measured

    yield_point = {}
    return asyncio, main, yield_point


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=".build/release/kefu-server")
    parser.add_argument("--postgres")
    parser.add_argument("--db")
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--turns", type=int, default=25)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--sockets", type=int, default=1000)
    arguments = parser.parse_args()
    # A thousand sockets need a thousand file descriptors on each side; the server inherits this limit.
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    if bool(arguments.postgres) == bool(arguments.db):
        parser.error("give --postgres URL or --db PATH")
    arguments.database = ["--postgres", arguments.postgres] if arguments.postgres else ["--db", arguments.db]
    backend = "PostgreSQL" if arguments.postgres else "SQLite"

    process, port = start_server(arguments)
    try:
        idle = rss_kib(process.pid)
        work = queue.Queue()
        for index in range(arguments.sessions):
            work.put(index)
        latencies, errors = [], []
        threads = [threading.Thread(target=client, args=(port, work, latencies, errors, arguments.turns)) for _ in range(arguments.clients)]
        begin = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - begin
        turns = len(latencies)
        inside = server_turn_time(port)
        print("%s: %d sessions x %d turns, %d clients" % (backend, arguments.sessions, arguments.turns, arguments.clients))
        print("  %d turns in %.2f s = %.0f turns/s (sessions started included); %d errors" % (turns, elapsed, turns / elapsed, len(errors)))
        print("  latency as the clients saw it: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms" % (
            1000 * percentile(latencies, 0.5), 1000 * percentile(latencies, 0.9), 1000 * percentile(latencies, 0.99), 1000 * max(latencies)))
        print("  inside the server, per turn (engine + storage, /metrics): %.2f ms" % (1000 * inside))
        print("  memory: %.1f MiB after start, %.1f MiB after the load" % (idle / 1024, rss_kib(process.pid) / 1024))
        if arguments.sockets:
            try:
                asyncio, held, hook = hold_sockets(port, arguments.sockets)
            except ImportError:
                print("  (sockets skipped: python3-websockets is not installed)")
                return
            before = rss_kib(process.pid)
            hook["measure"] = lambda: rss_kib(process.pid)
            begin = time.perf_counter()
            with_sockets = asyncio.run(held())
            print("  %d WebSocket conversations open at once (one turn each, %.1f s): %.1f MiB, %.1f KiB a socket" % (
                arguments.sockets, time.perf_counter() - begin, with_sockets / 1024, (with_sockets - before) / arguments.sockets))
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
