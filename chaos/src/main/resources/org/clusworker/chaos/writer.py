# A chaos test resource: while alive, appends "monotonic_ns group node epoch pid" every 50 ms to the
# shared history file (one os.write of a line < 512 bytes on an O_APPEND descriptor: atomic), with
# " bindfail" appended while it cannot bind its group's loopback port (another instance holds it: the
# OS-level second oracle). The clock is CLOCK_MONOTONIC, the clock of Java's System.nanoTime on Linux, so
# the harness's markers and every resource's lines on this machine share one time line.
# Usage: python3 writer.py HISTORY PORT   (CLUSWORKER_GROUP, CLUSWORKER_NODE, CLUSWORKER_EPOCH from the node)
import os, socket, sys, time

history, port = sys.argv[1], int(sys.argv[2])
group = os.environ.get("CLUSWORKER_GROUP", "-")
node = os.environ.get("CLUSWORKER_NODE", "-")
epoch = os.environ.get("CLUSWORKER_EPOCH", "-")
pid = os.getpid()
fd = os.open(history, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
held = None
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
    time.sleep(0.05)
