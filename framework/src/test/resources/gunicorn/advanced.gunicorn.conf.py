# The guide's "Advanced Configuration" and "Monitoring" additions on a small base.
import multiprocessing
from prometheus_client import multiprocess
from prometheus_client import generate_latest, CollectorRegistry, CONTENT_TYPE_LATEST

bind = "127.0.0.1:0"
workers = 2

# In gunicorn.conf.py
keyfile = "/path/to/key.pem"
certfile = "/path/to/cert.pem"
user = "www-data"
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

def on_starting(server):
    """Called before master process initialization"""
    print("Server starting...")

def when_ready(server):
    """Called after server is ready"""
    print(f"Server ready with {server.cfg.workers} workers")

def pre_fork(server, worker):
    """Called before worker is forked"""
    pass

def post_fork(server, worker):
    """Called after worker is forked"""
    print(f"Worker {worker.pid} spawned")

def worker_exit(server, worker):
    """Called when worker exits"""
    print(f"Worker {worker.pid} exited")

def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)
