# A chaos test resource: while alive, appends "monotonic_ns group node epoch pid" every 50 ms to the
# shared history file (one os.write of a line < 512 bytes on an O_APPEND descriptor: atomic), with
# " bindfail" appended while it cannot bind its group's loopback port (another instance holds it: the
# OS-level second oracle), and sends "group epoch node pid" to the fenced oracle store (which records
# whether it accepted it). The clock is CLOCK_MONOTONIC, the clock of Java's System.nanoTime on Linux, so
# the harness's markers, the nodes' ownership events and every resource's lines share one time line.
# The clock is the real one even under a node whose clock is faked (see below).
# While the file hang-GROUP exists next to this script, it ignores SIGTERM (a hung offline: the host
# must wait, then kill it).
# Usage: python3 writer.py HISTORY PORT STORE_PORT   (CLUSWORKER_GROUP, CLUSWORKER_NODE, CLUSWORKER_EPOCH from the node)
import os, signal, socket, sys, time

# A node started under libfaketime (the clock-rate fault) passes its fake clock on to what it starts: this
# process's lines must be on the machine's real clock, so it starts itself again without it (same pid).
if "faketime" in os.environ.get("LD_PRELOAD", ""):
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

history, port, store_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
group = os.environ.get("CLUSWORKER_GROUP", "-")
node = os.environ.get("CLUSWORKER_NODE", "-")
epoch = os.environ.get("CLUSWORKER_EPOCH", "-")
hang = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hang-" + group)
pid = os.getpid()


def on_term(signum, frame):
    hung = os.path.exists(hang)
    sys.stderr.write("%d pid %d: SIGTERM%s\n" % (time.clock_gettime_ns(time.CLOCK_MONOTONIC), pid, " ignored (hang file)" if hung else ""))
    sys.stderr.flush()
    if not hung:
        os._exit(143)


signal.signal(signal.SIGTERM, on_term)
fd = os.open(history, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
held = None
store = None
while True:
    extra = ""
    if held is None:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind(("127.0.0.1", port))
            s.listen(1)
            held = s
        except OSError:
            s.close()
            extra = " bindfail"
    line = "%d %s %s %s %d%s\n" % (time.clock_gettime_ns(time.CLOCK_MONOTONIC), group, node, epoch, pid, extra)
    os.write(fd, line.encode())
    try:
        if store is None:
            store = socket.create_connection(("127.0.0.1", store_port), timeout=1.0)
            reader = store.makefile("rb")
        store.sendall(("%s %s %s %d\n" % (group, epoch, node, pid)).encode())
        reader.readline()
    except OSError:
        if store is not None:
            store.close()
        store = None
    time.sleep(0.05)
