#!/usr/bin/env python3
"""Runs kefu in a pseudo-terminal of a fixed size, renders everything it writes with a VT100 emulator
(pyte, Debian's python3-pyte) and prints what the screen shows at the points a test asks for.

usage: screen.py PLAN.json      (or the plan on stdin)

The plan is a JSON object:
  {"kefu": PATH, "args": [...], "columns": 60, "rows": 24, "env": {NAME: VALUE},
   "steps": [STEP, ...]}
and each step one of:
  {"type": TEXT}                    typed as UTF-8
  {"keys": ["home", "left", ...]}   named keys (KEYS below), one after another
  {"wait": TEXT, "seconds": 60}     until the screen shows TEXT
  {"reply": SECONDS}                until kefu has answered the last line sent and prompts again
  {"resize": [COLUMNS, ROWS]}       the window changes size (the kernel sends SIGWINCH)
  {"signal": "TERM"}                sent to kefu
  {"snapshot": NAME}                records the screen: its rows and the cursor
  {"stty": NAME}                    records `stty -a` of the terminal ("start" is recorded before kefu runs)
  {"exit": SECONDS}                 waits for kefu to end and records its status
After every step that sends something, the script waits until kefu has written nothing for a moment.

It prints one JSON object: {"snapshots": {NAME: {"rows": [...], "cursor": [x, y]}}, "stty": {...},
"status": N or null, "output": TEXT}. A row holds the characters as the screen shows them: a wide
character once (its second cell is not repeated), an empty cell as a space, trailing spaces removed.
"""
import fcntl, json, os, pty, signal, struct, subprocess, sys, termios, time

import pyte
from wcwidth import wcwidth

import pty_support

KEYS = {
    "enter": "\r", "tab": "\t", "backspace": "\x7f", "delete": "\x1b[3~", "esc": "\x1b",
    "left": "\x1b[D", "right": "\x1b[C", "up": "\x1b[A", "down": "\x1b[B",
    "home": "\x1b[H", "end": "\x1b[F", "ctrl-left": "\x1b[1;5D", "ctrl-right": "\x1b[1;5C",
    "alt-b": "\x1bb", "alt-f": "\x1bf", "alt-backspace": "\x1b\x7f",
    "ctrl-a": "\x01", "ctrl-b": "\x02", "ctrl-c": "\x03", "ctrl-d": "\x04", "ctrl-e": "\x05",
    "ctrl-f": "\x06", "ctrl-g": "\x07", "ctrl-k": "\x0b", "ctrl-l": "\x0c", "ctrl-r": "\x12",
    "ctrl-u": "\x15", "ctrl-w": "\x17",
}


class XtermScreen(pyte.Screen):
    """pyte draws a wide character that reaches the last column half on screen; xterm, tmux and
    gnome-terminal move it to the next row and leave the last cell empty. The tests need the latter."""

    def draw(self, data):
        for char in data:
            if (wcwidth(char) == 2 and self.cursor.x == self.columns - 1
                    and pyte.modes.DECAWM in self.mode):
                super().draw(" ")
            super().draw(char)


def set_size(fd, columns, rows):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def main():
    plan = json.load(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
    columns, rows = plan.get("columns", 80), plan.get("rows", 24)
    master, slave = pty.openpty()
    slave_name = os.ttyname(slave)
    set_size(slave, columns, rows)
    screen = XtermScreen(columns, rows)
    stream = pyte.ByteStream(screen)
    env = dict(os.environ, TERM="xterm", LANG="C.UTF-8")
    env.update(plan.get("env", {}))

    def become_session_leader():
        # The pseudo-terminal becomes kefu's controlling terminal, as in a real shell: Ctrl-C is then
        # SIGINT from the terminal driver and a resize is SIGWINCH from the kernel.
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    def stty():
        return pty_support.stty(slave_name)

    start_settings = stty()
    process = subprocess.Popen([plan["kefu"]] + plan.get("args", []), stdin=slave, stdout=slave, stderr=slave,
                               env=env, preexec_fn=become_session_leader, cwd=plan.get("cwd"))
    os.close(slave)  # only kefu holds the terminal now: its end is seen at once, not after a timeout
    output = bytearray()
    report = {"snapshots": {}, "stty": {"start": start_settings}, "status": None}
    mark = [0]  # where the output after the last input sent starts

    def pump(seconds):
        """Reads what kefu writes for up to `seconds`; False once the terminal is closed."""
        chunk = pty_support.read_chunk(master, seconds)
        if chunk is None:
            return False
        output.extend(chunk)
        stream.feed(chunk)
        return True

    def settle(quiet=0.1, limit=10.0):
        deadline = time.time() + limit
        last = len(output)
        quiet_since = time.time()
        while time.time() < deadline:
            if not pump(0.05):
                return
            if len(output) != last:
                last, quiet_since = len(output), time.time()
            elif time.time() - quiet_since >= quiet:
                return

    def shown():
        return "\n".join(screen.display)

    def send(text):
        mark[0] = len(output)
        os.write(master, text.encode("utf-8"))

    for step in plan["steps"]:
        if "type" in step:
            send(step["type"])
            settle()
        elif "keys" in step:
            for key in step["keys"]:
                send(KEYS[key])
                # A bare Esc is told from the start of an arrow key by the pause after it.
                if key == "esc":
                    settle(0.5)  # kefu waits 200 ms for the rest of a key before taking Esc alone
                else:
                    pump(0.02)
            settle()
        elif "reply" in step:
            deadline = time.time() + step["reply"]
            while time.time() < deadline:
                answered = output.find("kefu> ".encode(), mark[0])
                if answered >= 0 and output.find("you> ".encode(), answered) >= 0:
                    break
                if not pump(0.1):
                    break
            settle()
        elif "wait" in step:
            deadline = time.time() + step.get("seconds", 60)
            while step["wait"] not in shown() and time.time() < deadline:
                if not pump(0.1):
                    break
            settle()
        elif "resize" in step:
            columns, rows = step["resize"]
            set_size(master, columns, rows)
            screen.resize(rows, columns)
            settle()
        elif "signal" in step:
            process.send_signal(getattr(signal, "SIG" + step["signal"]))
            settle()
        elif "snapshot" in step:
            settle(0.2)
            report["snapshots"][step["snapshot"]] = {
                "rows": [row_text(screen, y) for y in range(screen.lines)],
                "cursor": [screen.cursor.x, screen.cursor.y],
            }
        elif "stty" in step:
            report["stty"][step["stty"]] = stty()
        elif "exit" in step:
            deadline = time.time() + step["exit"]
            while process.poll() is None and time.time() < deadline:
                pump(0.05)
            settle(0.1, 1)
            report["status"] = process.poll()
        else:
            raise SystemExit("screen.py: unknown step %r" % (step,))

    if process.poll() is None:
        process.kill()
        process.wait()
    report["output"] = output.decode("utf-8", "replace")
    print(json.dumps(report, ensure_ascii=False))


def row_text(screen, y):
    line = screen.buffer[y]
    cells = []
    for x in range(screen.columns):
        data = line[x].data
        if data == "":  # the second cell of a wide character
            continue
        cells.append(data)
    return "".join(cells).rstrip(" ")


if __name__ == "__main__":
    main()
