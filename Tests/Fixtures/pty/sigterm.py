#!/usr/bin/env python3
"""Runs kefu in a pseudo-terminal, answers one question, types half a line, sends a signal, and prints a
JSON report: the terminal settings (stty -a) before, during and after, the exit status and the output.

usage: sigterm.py KEFU SIGNAL [ARGS...]   (SIGNAL: TERM or HUP; environment passed through;
KEFU_PTY_QUESTION replaces the question typed, 提现多久到账; KEFU_PTY_INTERRUPT=1 first types half a
line, sends SIGINT (Ctrl-C's signal) and types 怎么开户 on the cleared line)
"""
import json, os, pty, signal, subprocess, sys, time

import pty_support

kefu, signame, args = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = pty.openpty()
slave_name = os.ttyname(slave)


def stty():
    return pty_support.stty(slave_name)


output = b""


def read_until(token, seconds, since=0):
    """Reads until `token` appears in the output after offset `since`."""
    global output
    deadline = time.time() + seconds
    while time.time() < deadline:
        # The token may have come with an earlier read (the reply and the next prompt in one chunk).
        if token.encode() in output[since:]:
            return True
        chunk = pty_support.read_chunk(master, 0.1)
        if chunk is None:
            return False
        if chunk:
            output += chunk
            if token.encode() in output[since:]:
                return True
    return token.encode() in output[since:]


before = stty()
env = dict(os.environ, TERM="xterm", NO_COLOR="1")
process = subprocess.Popen([kefu] + args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
steps = {}
steps["prompt"] = read_until("you> ", 60)
mark = len(output)
os.write(master, (os.environ.get("KEFU_PTY_QUESTION") or "提现多久到账").encode() + b"\r")
# The reply starts with "kefu> "; then a new prompt: only then is libedit reading again (raw mode).
steps["answered"] = read_until("kefu> ", 60, mark)
mark = max(mark, output.find("kefu> ".encode(), mark))
steps["answered"] = steps["answered"] and read_until("you> ", 30, mark)
mark = len(output)
if os.environ.get("KEFU_PTY_INTERRUPT") == "1":
    os.write(master, b"typed then cleared")
    steps["typed"] = read_until("typed then cleared", 10, mark)
    process.send_signal(signal.SIGINT)
    time.sleep(0.3)
    mark = len(output)
    os.write(master, "怎么开户\r".encode())
    steps["after-interrupt"] = read_until("kefu> ", 60, mark)
    mark = max(mark, output.find("kefu> ".encode(), mark))
    steps["after-interrupt"] = steps["after-interrupt"] and read_until("you> ", 30, mark)
    mark = len(output)
os.write(master, b"half a li")
steps["echoed"] = read_until("half a li", 10, mark)
during = stty()
process.send_signal(getattr(signal, "SIG" + signame))
try:
    status = process.wait(timeout=20)
except subprocess.TimeoutExpired:
    process.kill()
    status = "hung"
time.sleep(0.1)
read_until("\0never", 0.3)
after = stty()
print(json.dumps({"before": before, "during": during, "after": after, "status": status, "steps": steps,
                  "output": output.decode("utf-8", "replace")}))
