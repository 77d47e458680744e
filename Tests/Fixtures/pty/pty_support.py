"""What the pseudo-terminal scripts (sigterm.py, screen.py) share: reading what kefu writes, and the terminal's
settings as `stty -a` prints them, which the tests compare before, during and after kefu runs to show that it puts
the terminal back as it found it."""
import os, select, subprocess


def stty(terminal_name):
    fd = os.open(terminal_name, os.O_RDWR | os.O_NOCTTY)
    try:
        return subprocess.run(["stty", "-a"], stdin=fd, capture_output=True, text=True, timeout=10).stdout
    finally:
        os.close(fd)


def read_chunk(master, seconds):
    """What kefu wrote within `seconds`: b"" when nothing came, None once the terminal is closed."""
    ready, _, _ = select.select([master], [], [], seconds)
    if not ready:
        return b""
    try:
        chunk = os.read(master, 65536)
    except OSError:
        return None
    return chunk or None
