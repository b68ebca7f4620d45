# gunicorn.conf.py from the Gunicorn configuration guide (../shared/reference/
# gunicorn-configuration-guide.md): its "Configuration Settings Explained" blocks, verbatim, in order.
import multiprocessing

# 1. Server Socket
bind = "0.0.0.0:8000"
backlog = 2048

# 2. Worker Processes
workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "sync"
worker_connections = 1000

# 3. Worker Lifecycle
max_requests = 1000
max_requests_jitter = 50
timeout = 120
graceful_timeout = 30
keepalive = 5

# 4. Performance Optimization
worker_tmp_dir = "/dev/shm"
preload_app = True

# 5. Logging
accesslog = "-"      # stdout
errorlog = "-"       # stderr
loglevel = "info"
capture_output = True

# 6. Process Management
proc_name = "django-blog"
daemon = False
pidfile = None
