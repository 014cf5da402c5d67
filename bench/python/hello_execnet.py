"""The least an execnet program does: a popen gateway, one item from it, exit. Timed whole by limits.sh."""
import execnet

gateway = execnet.makegateway("popen")
assert gateway.remote_exec("channel.send(1)").receive() == 1
gateway.exit()
gateway.join()
