#!/usr/bin/python3
"""Python execnet's RSync of SRC to DST over a popen gateway, once: prints 'send_ms X' (the send alone)."""
import sys
import time
import execnet

src, dst = sys.argv[1], sys.argv[2]
gw = execnet.makegateway("popen")
rsync = execnet.RSync(src, verbose=False)
rsync.add_target(gw, dst)
t0 = time.perf_counter()
rsync.send()
print("send_ms %.3f" % ((time.perf_counter() - t0) * 1e3), flush=True)
gw.exit()
gw.join(30)
