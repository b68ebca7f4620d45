"""The WSGI twin of Narwhal's BenchApp, for Gunicorn in bench/run.

    gunicorn -w 5 -k sync -b 127.0.0.1:8000 --chdir bench wsgi_app:app

/hello (and /)  200 text/plain "Hello, World!" (13 bytes)
/sleep10        the same after time.sleep(0.01) (blocks the worker, as sync workers do)
/cpu1           the same after 1 ms of busy CPU
anything else   404
"""
import time

HELLO = b"Hello, World!"
_HEADERS = [("Content-Type", "text/plain; charset=UTF-8"), ("Content-Length", str(len(HELLO)))]


def _cpu1():
    end = time.perf_counter_ns() + 1_000_000
    while time.perf_counter_ns() < end:
        pass


def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path == "/sleep10":
        time.sleep(0.01)
    elif path == "/cpu1":
        _cpu1()
    elif path not in ("/", "/hello"):
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "10")])
        return [b"not found\n"]
    start_response("200 OK", _HEADERS)
    return [HELLO]
